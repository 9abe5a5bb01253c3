import { app } from './app';
import { handleQueue } from './ingest/consumer';
import { jobsFor } from './jobs';
import { runScheduledJobs } from './scheduled';

export { ContactAgent } from './contacts/contact-agent';
export { BenchAlarm } from './bench/bench-alarm';

export default {
  fetch: app.fetch,
  queue: handleQueue,
  scheduled(controller, env, ctx) {
    ctx.waitUntil(runScheduledJobs(jobsFor(controller.cron), env, controller.scheduledTime));
  },
} satisfies ExportedHandler<Env>;
