import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../env';
import { AppError, validationError } from '../errors';
import type { CollectMessage } from '../ingest/messages';
import type { BenchAlarm } from './bench-alarm';

/** Set only by `npm run bench` (bench/run.mjs), in the vars and the private wrangler.toml of its worker. */
type BenchEnv = { BENCH_ROUTES?: string; BENCH_ALARM?: DurableObjectNamespace<BenchAlarm> };
const benchEnv = (env: Env) => env as Env & BenchEnv;

const FloorRequest = z.object({ run: z.string().regex(/^[a-z0-9-]{1,40}$/), count: z.number().int().min(1).max(5000), dueAt: z.number().int() });
type FloorRequest = z.infer<typeof FloorRequest>;
const ARM_CONCURRENCY = 50;

async function armAll(ns: DurableObjectNamespace<BenchAlarm>, req: FloorRequest): Promise<void> {
  for (let i = 0; i < req.count; i += ARM_CONCURRENCY) {
    const ids = Array.from({ length: Math.min(ARM_CONCURRENCY, req.count - i) }, (_, k) => `${req.run}-${i + k}`);
    await Promise.all(ids.map((id) => ns.get(ns.idFromName(id)).arm(id, req.dueAt)));
  }
}

/**
 * Bench-only routes, answering 404 unless the worker runs with BENCH_ROUTES = "1" (never set in
 * wrangler.toml): `POST /__bench/queue-send` sends one message to the INGEST queue and nothing else
 * (the bar for `/collect`'s own cost), `POST /__bench/floor` arms bare BenchAlarm objects.
 */
export const benchRoutes = new Hono<AppEnv>()
  .use('*', async (c, next) => {
    if (benchEnv(c.env).BENCH_ROUTES !== '1') throw new AppError(404, 'not_found', `No route for ${c.req.method} ${c.req.path}`);
    await next();
  })
  .post('/queue-send', async (c) => {
    const receivedAt = Date.now();
    // Shaped and sized like a /collect batch of two events, for a store that does not exist: the consumer drops it.
    const message: CollectMessage = {
      kind: 'collect', storeId: 'bench-no-such-store', trusted: false, visitorId: `v_bare_${receivedAt}`, receivedAt, ipHash: null, userAgent: null, geoTimezone: null,
      events: [
        { id: `e_bare_${receivedAt}_0`, type: 'page_view', ts: receivedAt, url: 'http://localhost:8787/shop/', title: 'Shop' },
        { id: `e_bare_${receivedAt}_1`, type: 'product_view', ts: receivedAt, productId: 10, name: 'Mug', price: 12.5 },
      ],
    };
    await c.env.INGEST.send(message);
    return c.body(null, 204);
  })
  .post('/floor', async (c) => {
    const ns = benchEnv(c.env).BENCH_ALARM;
    if (!ns) throw new AppError(404, 'not_found', 'BENCH_ALARM is bound only in the bench worker');
    const parsed = FloorRequest.safeParse(await c.req.json());
    if (!parsed.success) throw validationError(parsed.error);
    await c.env.DB.prepare('CREATE TABLE IF NOT EXISTS bench_floor (id TEXT PRIMARY KEY, fired_at INTEGER NOT NULL)').run();
    await armAll(ns, parsed.data);
    return c.json({ armed: parsed.data.count });
  });
