import { Hono } from 'hono';
import type { AppEnv } from './env';
import { AppError, renderError } from './errors';
import { health } from './routes/health';

export function buildApp() {
  const app = new Hono<AppEnv>();
  app.route('/', health);
  app.notFound((c) => renderError(new AppError(404, 'not_found', `No route for ${c.req.method} ${c.req.path}`), c));
  app.onError(renderError);
  return app;
}

export const app = buildApp();
