import { Hono } from 'hono';
import type { AppEnv } from './env';
import { AppError, renderError } from './errors';
import { api } from './routes/api';
import { audiences } from './routes/audiences';
import { benchRoutes } from './bench/bench-routes';
import { collect } from './routes/collect';
import { dashboard } from './routes/dashboard';
import { flowsRoutes } from './routes/flows';
import { guardrailsRoutes } from './routes/guardrails';
import { health } from './routes/health';
import { privacy } from './routes/privacy';
import { links } from './routes/links';
import { postmarkWebhooks } from './routes/postmark-webhooks';
import { preferences } from './routes/preferences';
import { reputationRoutes } from './routes/reputation';
import { storeSettingsRoutes } from './routes/store-settings';
import { smsWebhooks } from './routes/sms-webhooks';
import { stores } from './routes/stores';
import { widgets } from './routes/widgets';
import { wooWebhooks } from './routes/woo-webhooks';

export function buildApp() {
  const app = new Hono<AppEnv>();
  app.route('/', health);
  app.route('/', collect);
  app.route('/', wooWebhooks);
  app.route('/', preferences);
  app.route('/', links);
  app.route('/', widgets);
  app.route('/', smsWebhooks);
  app.route('/', postmarkWebhooks);
  app.route('/api', stores);
  app.route('/api', audiences);
  app.route('/api', storeSettingsRoutes);
  app.route('/api', reputationRoutes);
  app.route('/api', guardrailsRoutes);
  app.route('/api', api);
  app.route('/api', privacy);
  app.route('/api', flowsRoutes);
  app.route('/admin', dashboard);
  app.route('/__bench', benchRoutes);
  app.notFound((c) => renderError(new AppError(404, 'not_found', `No route for ${c.req.method} ${c.req.path}`), c));
  app.onError(renderError);
  return app;
}

export const app = buildApp();
