import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';

describe('bench-only routes', () => {
  it('do not exist unless the worker runs with BENCH_ROUTES=1 (set only by npm run bench)', async () => {
    for (const path of ['/__bench/queue-send', '/__bench/floor']) {
      const res = await SELF.fetch(`https://ns.example${path}`, { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } });
      expect(res.status).toBe(404);
    }
  });
});
