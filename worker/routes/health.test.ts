import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';

describe('GET /healthz', () => {
  it('answers ok without touching storage', async () => {
    const res = await SELF.fetch('https://ns.test/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('renders unknown routes as a JSON 404', async () => {
    const res = await SELF.fetch('https://ns.test/nope');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
  });
});
