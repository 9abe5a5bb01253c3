import type { Context, MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { db } from '../../db/client';
import { adminSessionLive } from '../../db/queries/admin-sessions';
import { findStore, type Store } from '../../db/queries/stores';
import { COPY, isLang, langFromAcceptLanguage, type DashboardCopy, type Lang } from '../../dashboard/copy';
import { cookieMayBeInsecure, csrfMatches, originAllowed, readSession, SESSION_COOKIE, SESSION_TTL_MS, sessionIdHash, type Session } from '../../dashboard/session';
import { notFound } from '../../errors';
import { ErrorPage } from '../../dashboard/views/basic';
import { accessSignIn } from '../../dashboard/access';
import { ACCESS_JWT_HEADER } from '../../lib/bearer-auth';

export type DashboardEnv = {
  Bindings: Env;
  Variables: { lang: Lang; t: DashboardCopy; session: Session; form: FormFields };
};
export type DashboardContext = Context<DashboardEnv>;

const LANG_COOKIE = 'ns_admin_lang';
const COOKIE_PATH = '/admin';

/** `?lang=` (remembered in a cookie so links need not carry it), then the cookie, then Accept-Language; French by default. */
export const withLang: MiddlewareHandler<DashboardEnv> = async (c, next) => {
  const asked = c.req.query('lang');
  let lang: Lang;
  if (isLang(asked)) {
    lang = asked;
    setCookie(c, LANG_COOKIE, lang, { path: COOKIE_PATH, httpOnly: true, sameSite: 'Lax', secure: !cookieMayBeInsecure(c.req.url), maxAge: 365 * 86400 });
  } else {
    const remembered = getCookie(c, LANG_COOKIE);
    lang = isLang(remembered) ? remembered : langFromAcceptLanguage(c.req.header('Accept-Language'));
  }
  c.set('lang', lang);
  c.set('t', COPY[lang]);
  await next();
};

/**
 * Admin pages hold personal data and state-changing buttons: never cached, never framed. The CSP
 * also reaches the email preview (a srcdoc frame inherits it): no remote images, so viewing a
 * message cannot fire its open pixel, and no frame navigation, so a click in it cannot be recorded.
 */
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/**
 * The message editor's preview shows the email's images from the store (http too: a local demo
 * store serves them so); the rendered preview carries no open pixel or tracked link, so loading
 * them records nothing.
 */
export const PREVIEW_CSP = CSP.replace("img-src data:", 'img-src data: https: http:');

export const pageHeaders: MiddlewareHandler<DashboardEnv> = async (c, next) => {
  await next();
  c.header('Cache-Control', 'no-store');
  // A page may tighten or widen its own policy (the message editor shows the store's images).
  if (!c.res.headers.has('Content-Security-Policy')) c.header('Content-Security-Policy', CSP);
  c.header('X-Frame-Options', 'DENY');
  c.header('Referrer-Policy', 'same-origin');
  c.header('X-Content-Type-Options', 'nosniff');
};

export function setSessionCookie(c: DashboardContext, value: string): void {
  setCookie(c, SESSION_COOKIE, value, {
    path: COOKIE_PATH,
    httpOnly: true,
    secure: !cookieMayBeInsecure(c.req.url),
    sameSite: 'Strict',
    maxAge: Math.floor(SESSION_TTL_MS / 1000),
  });
}

export function clearSessionCookie(c: DashboardContext): void {
  deleteCookie(c, SESSION_COOKIE, { path: COOKIE_PATH, httpOnly: true, secure: !cookieMayBeInsecure(c.req.url), sameSite: 'Strict' });
}

/** Where login sends the admin back to: only a dashboard path of this origin. */
export function safeNext(next: string | undefined): string {
  return next && /^\/admin\/[A-Za-z0-9/_%.~-]*$/.test(next) && !next.startsWith('/admin/login') ? next : '/admin/stores';
}

/** Every page but the login form: no valid session → the login form, remembering where the admin was going. */
export const requireSession: MiddlewareHandler<DashboardEnv> = async (c, next) => {
  const now = Date.now();
  const signed = await readSession(getCookie(c, SESSION_COOKIE), c.env.ADMIN_TOKEN, now);
  // A well-signed cookie is live only while its server-side row is: logout deletes it.
  const session = signed && (await adminSessionLive(db(c.env.DB), await sessionIdHash(signed), now)) ? signed : null;
  const access = session ? null : await accessSignIn(c.env, c.req.header(ACCESS_JWT_HEADER), now);
  if (access) setSessionCookie(c, access.cookie);
  const signedIn = session ?? access?.session;
  if (!signedIn) {
    const target = c.req.method === 'GET' ? `?next=${encodeURIComponent(c.req.path)}` : '';
    return c.redirect(`/admin/login${target}`, 303);
  }
  c.set('session', signedIn);
  await next();
};

export type FormFields = Record<string, string>;

/** The fields every page passes to its layout. */
export function base(c: DashboardContext) {
  const session: Session | undefined = c.get('session');
  // The language switch links to `path`: a form's action cannot be fetched with GET.
  const path = c.req.method === 'GET' ? c.req.path : '/admin/stores';
  return { t: c.get('t'), lang: c.get('lang'), path, csrf: session?.csrfToken ?? '' };
}

export function errorPage(c: DashboardContext, status: ContentfulStatusCode, message: string) {
  return c.html(<ErrorPage {...base(c)} message={message} />, status);
}

/**
 * Guards every form POST behind the session: the body must carry this session's CSRF token and the
 * Origin, when sent, must be ours; anything else is a 403. The checked fields land in `form`
 * (file fields dropped: no dashboard form uploads).
 */
export const csrfGuard: MiddlewareHandler<DashboardEnv> = async (c, next) => {
  if (c.req.method !== 'POST') return next();
  const body = originAllowed(c.req.header('Origin'), c.req.url) ? await c.req.parseBody().catch(() => null) : null;
  if (!body || !csrfMatches(c.get('session'), body._csrf)) return errorPage(c, 403, c.get('t').errors.forbidden);
  const fields: FormFields = {};
  for (const [key, value] of Object.entries(body)) if (typeof value === 'string') fields[key] = value;
  c.set('form', fields);
  await next();
};

export async function requireDashboardStore(c: DashboardContext): Promise<Store> {
  const id = c.req.param('store') ?? '';
  const store = /^[A-Za-z0-9_-]{1,64}$/.test(id) ? await findStore(db(c.env.DB), id) : undefined;
  if (!store) throw notFound(`Store ${id}`);
  return store;
}
