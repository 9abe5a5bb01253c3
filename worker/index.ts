import { app } from './app';

export { ContactAgent } from './contacts/contact-agent';

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
