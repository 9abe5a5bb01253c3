import { Hono, type Context } from 'hono';
import type { AppEnv } from '../env';
import { AppError, notFound } from '../errors';
import { db } from '../db/client';
import { findStoreBySiteKey, type Store } from '../db/queries/stores';
import { parseQuery } from '../lib/validate';
import { langOf, recFragment, recItem } from '../recommendations/fragment';
import { PERSONAL_KINDS, recommendationsFor, RecommendationsQuery } from '../recommendations/serve';

/** Shared answers live this long at the edge: a new order or stock change shows within minutes. */
const EDGE_TTL_SECONDS = 300;
/** The stored copy carries the store's origins, so a cache hit is checked without reading D1. */
const ORIGINS_HEADER = 'x-ns-allowed-origins';

/** The cache key names only what changes the answer (not the parameter order, not unknown parameters). */
function cacheKey(c: Context<AppEnv>, q: RecommendationsQuery): Request {
  const url = new URL('/widgets/recommendations', c.req.url);
  for (const [k, v] of [['site', q.site], ['kind', q.kind], ['product', q.product], ['category', q.category], ['limit', q.limit], ['format', q.format]] as const) {
    if (v !== undefined) url.searchParams.set(k, String(v));
  }
  return new Request(url.toString());
}

/** A page of the store may ask (CORS); a request without Origin (a server) may read the public kinds. */
function allowOrigin(c: Context<AppEnv>, origins: string[], personal: boolean): Headers {
  const origin = c.req.header('Origin');
  const headers = new Headers({ Vary: 'Origin' });
  if (!origin && !personal) return headers;
  if (!origin || !origins.includes(origin)) throw new AppError(403, 'forbidden', 'Origin not allowed for this store');
  headers.set('Access-Control-Allow-Origin', origin);
  return headers;
}

async function answer(c: Context<AppEnv>, store: Store, q: RecommendationsQuery): Promise<Response> {
  const products = await recommendationsFor(db(c.env.DB), store.id, q);
  const items = products.map((p) => recItem(p, store.locale, store.currency));
  const headers = new Headers({ [ORIGINS_HEADER]: JSON.stringify(store.allowedOrigins) });
  if (q.format === 'html') {
    headers.set('Content-Type', 'text/html; charset=utf-8');
    return new Response(recFragment(q.kind, langOf(store.locale), items), { headers });
  }
  headers.set('Content-Type', 'application/json; charset=utf-8');
  return new Response(JSON.stringify({ kind: q.kind, lang: langOf(store.locale), items }), { headers });
}

/** The stored response, re-headed for this request: CORS for its origin, the private header dropped. */
function served(stored: Response, cors: Headers, cacheControl: string): Response {
  const headers = new Headers(stored.headers);
  headers.delete(ORIGINS_HEADER);
  cors.forEach((v, k) => headers.set(k, v));
  headers.set('Cache-Control', cacheControl);
  return new Response(stored.body, { status: stored.status, headers });
}

/**
 * `GET /widgets/recommendations`: products for a storefront carousel (JSON or an HTML fragment),
 * answered from the edge cache. Per-visitor kinds are computed for each request and never cached.
 */
export const widgetRecommendations = new Hono<AppEnv>().get('/widgets/recommendations', async (c) => {
  const q = parseQuery(c, RecommendationsQuery);
  const personal = PERSONAL_KINDS.has(q.kind);
  const cache = personal ? undefined : caches.default;
  const key = cacheKey(c, q);
  const hit = await cache?.match(key);
  if (hit) return served(hit, allowOrigin(c, JSON.parse(hit.headers.get(ORIGINS_HEADER) ?? '[]') as string[], false), 'public, max-age=60');
  const store = await findStoreBySiteKey(db(c.env.DB), q.site);
  if (!store) throw notFound('Store');
  const cors = allowOrigin(c, store.allowedOrigins, personal);
  const fresh = await answer(c, store, q);
  if (!cache) return served(fresh, cors, 'private, no-store');
  const stored = new Response(fresh.body, fresh);
  stored.headers.set('Cache-Control', `public, max-age=${EDGE_TTL_SECONDS}`);
  c.executionCtx.waitUntil(cache.put(key, stored.clone()));
  return served(stored, cors, 'public, max-age=60');
});
