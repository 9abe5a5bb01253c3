import { Hono } from 'hono';
import { z } from 'zod';
import { db } from '../../db/client';
import { listStoreListings } from '../../db/queries/dashboard';
import { revokeAdminSession, storeAdminSession } from '../../db/queries/admin-sessions';
import { adminTokenMatches, issueSession, originAllowed, sessionIdHash } from '../../dashboard/session';
import { LoginPage, StoresPage } from '../../dashboard/views/basic';
import { AppError } from '../../errors';
import { base, clearSessionCookie, csrfGuard, errorPage, pageHeaders, requireSession, safeNext, setSessionCookie, withLang, type DashboardEnv } from './context';
import { connectPages } from './connect';
import { storePages } from './store';
import { outboxPages } from './outbox';
import { failurePages } from './failures';
import { messagePages } from './messages';
import { resultsPages } from './results';
import { settingsPages } from './settings';
import { contactPages } from './contacts';
import { segmentPages } from './segments';
import { widgetPages } from './widgets';

export const LoginForm = z.object({ token: z.string().max(1024).default(''), next: z.string().max(512).optional() });
export type LoginForm = z.infer<typeof LoginForm>;

/** The admin dashboard at /admin: server-rendered pages behind a signed session cookie. */
export const dashboard = new Hono<DashboardEnv>();

dashboard.use('*', pageHeaders, withLang);
dashboard.onError((err, c) => {
  const t = c.get('t');
  if (err instanceof AppError) {
    // zod's own text (a validationError carries its issues) is for API clients, not for the admin's page.
    const zodText = err.code === 'validation_failed' && Array.isArray(err.details);
    const message = err.status === 404 ? t.errors.notFound : err.status === 409 ? t.errors.conflict : zodText ? t.errors.badRequest : err.message;
    return errorPage(c, err.status, message);
  }
  // A query a page parses strictly (a hand-edited address): bad input, never a 500.
  if (err instanceof z.ZodError) return errorPage(c, 400, t.errors.badRequest);
  console.error('dashboard error', err);
  return errorPage(c, 500, t.errors.internal);
});

dashboard.get('/login', (c) => c.html(<LoginPage {...base(c)} next={safeNext(c.req.query('next'))} failed={false} />));

dashboard.post('/login', async (c) => {
  if (!originAllowed(c.req.header('Origin'), c.req.url)) return errorPage(c, 403, c.get('t').errors.forbidden);
  const form = LoginForm.safeParse(await c.req.parseBody().catch(() => ({})));
  const token = form.success ? form.data.token.trim() : '';
  const next = safeNext(form.success ? form.data.next : undefined);
  // Every attempt counts, right or wrong, per client IP: guessing the token is throttled at the edge.
  const { success } = await c.env.LOGIN_LIMITER.limit({ key: `login:${c.req.header('CF-Connecting-IP') ?? 'unknown'}` });
  if (!success) {
    c.header('Retry-After', '60');
    return c.html(<LoginPage {...base(c)} next={next} failed={false} limited={true} />, 429);
  }
  if (!(await adminTokenMatches(token, c.env.ADMIN_TOKEN))) {
    return c.html(<LoginPage {...base(c)} next={next} failed={true} />, 401);
  }
  const now = Date.now();
  const { cookie, session } = await issueSession(c.env.ADMIN_TOKEN, now);
  await storeAdminSession(db(c.env.DB), await sessionIdHash(session), now, session.expiresAt);
  setSessionCookie(c, cookie);
  return c.redirect(next, 303);
});

dashboard.use('*', requireSession, csrfGuard);

dashboard.get('/', (c) => c.redirect('/admin/stores', 303));

dashboard.post('/logout', async (c) => {
  // Revoked server-side: a copy of the cookie stops working too, not only this browser's.
  await revokeAdminSession(db(c.env.DB), await sessionIdHash(c.get('session')));
  clearSessionCookie(c);
  return c.redirect('/admin/login', 303);
});

dashboard.get('/stores', async (c) => {
  const stores = await listStoreListings(db(c.env.DB));
  return c.html(<StoresPage {...base(c)} stores={stores} />);
});

dashboard.route('/stores', connectPages);
dashboard.route('/stores', storePages);
dashboard.route('/stores', outboxPages);
dashboard.route('/stores', failurePages);
dashboard.route('/stores', messagePages);
dashboard.route('/stores', resultsPages);
dashboard.route('/stores', settingsPages);
dashboard.route('/stores', contactPages);
dashboard.route('/stores', segmentPages);
dashboard.route('/stores', widgetPages);
