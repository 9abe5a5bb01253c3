import { app } from './app';
import { handleQueue } from './ingest/consumer';

export { ContactAgent } from './contacts/contact-agent';

export default {
  fetch: app.fetch,
  queue: handleQueue,
} satisfies ExportedHandler<Env>;
