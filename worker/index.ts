import { app } from './app';
import { handleQueue } from './ingest/consumer';
import { JOBS } from './jobs';
import { runScheduledJobs } from './scheduled';

export { ContactAgent } from './contacts/contact-agent';
export { BenchAlarm } from './bench/bench-alarm';

export default {
  fetch: app.fetch,
  queue: handleQueue,
  scheduled(controller, env, ctx) {
    ctx.waitUntil(runScheduledJobs(JOBS, env, controller.scheduledTime));
  },
} satisfies ExportedHandler<Env>;
