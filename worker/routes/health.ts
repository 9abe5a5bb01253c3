import { Hono } from 'hono';
import type { AppEnv } from '../env';

/** No I/O on purpose: monitors and the benchmarks' baseline. */
export const health = new Hono<AppEnv>().get('/healthz', (c) => c.json({ ok: true }));
