import { createExecutionContext, env, SELF, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { app } from '../app';
import { db } from '../db/client';
import { countEvents } from '../db/queries/events';
import { upsertStore } from '../db/queries/stores';
import type { CollectMessage, IngestMessage } from '../ingest/messages';
import { processCollectMessage } from '../ingest/collect/collect-processor';
import { signNightshift } from '../lib/hmac';

const ORIGIN = 'https://shop.example';
const SECRET = 'whsec_collect_test_secret';

async function seedStore(id: string, consentPending = false) {
  await upsertStore(db(env.DB), {
    id,
    consentPending,
    name: id,
    webhookSecret: SECRET,
    siteKey: `pk_${id}`,
    allowedOrigins: [ORIGIN],
    createdAt: 1,
    updatedAt: 1,
  });
  return { id, siteKey: `pk_${id}` };
}

function batch(siteKey: string, visitorId = 'v_visitor_0001', extra: Record<string, unknown> = {}) {
  return {
    siteKey,
    visitorId,
    events: [{ id: `pv_${visitorId}`, type: 'page_view', ts: 1_700_000_000_000, url: `${ORIGIN}/shop` }],
    ...extra,
  };
}

/** The real app and bindings, except the queue producer, which records what the route enqueues. */
async function post(body: string, headers: Record<string, string> = {}, path = '/collect') {
  const sent: IngestMessage[] = [];
  const ingest = {
    send: async (message: IngestMessage) => void sent.push(message),
    sendBatch: async (messages: Iterable<{ body: IngestMessage }>) => {
      for (const m of messages) sent.push(m.body);
    },
  } as unknown as Queue;
  const ctx = createExecutionContext();
  const request = new Request(`https://ns.test${path}`, {
    method: 'POST',
    body,
    headers: { 'Content-Type': 'text/plain;charset=UTF-8', Origin: ORIGIN, ...headers },
  });
  const res = await app.fetch(request, { ...env, INGEST: ingest }, ctx);
  await waitOnExecutionContext(ctx);
  return { res, sent: sent as CollectMessage[] };
}

describe('POST /collect from the browser', () => {
  it('accepts a text/plain beacon, answers 204 with CORS and queues the events', async () => {
    const store = await seedStore('collect-text');
    const { res, sent } = await post(JSON.stringify(batch(store.siteKey)), { 'CF-Connecting-IP': '203.0.113.9' });
    expect(res.status).toBe(204);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe(ORIGIN);
    expect(sent).toHaveLength(1);
    const [message] = sent;
    expect(message).toMatchObject({ kind: 'collect', storeId: store.id, trusted: false, visitorId: 'v_visitor_0001' });
    expect(message?.ipHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(message)).not.toContain('203.0.113.9');
  });

  it('accepts application/json, and the queued message is stored by the processor', async () => {
    const store = await seedStore('collect-json');
    const { res, sent } = await post(JSON.stringify(batch(store.siteKey)), { 'Content-Type': 'application/json' });
    expect(res.status).toBe(204);
    for (const message of sent) await processCollectMessage(env, message);
    expect(await countEvents(db(env.DB), store.id)).toBe(1);
  });

  it('takes the site key from ?k= as well', async () => {
    const store = await seedStore('collect-query-key');
    const { siteKey: _omit, ...body } = batch(store.siteKey);
    const { res } = await post(JSON.stringify(body), {}, `/collect?k=${store.siteKey}`);
    expect(res.status).toBe(204);
  });

  it('takes the store id instead of the site key, still checking the origin', async () => {
    const store = await seedStore('collect-store-id');
    const { siteKey: _omit, ...body } = batch(store.siteKey);
    const ok = await post(JSON.stringify({ ...body, store: store.id }));
    expect(ok.res.status).toBe(204);
    expect(ok.sent[0]?.trusted).toBe(false);
    const evil = await post(JSON.stringify(body), { Origin: 'https://evil.example' }, `/collect?store=${store.id}`);
    expect(evil.res.status).toBe(403);
  });

  it('drops browser batches without consent while the store is in consent-pending mode', async () => {
    const store = await seedStore('collect-consent-pending', true);
    const without = await post(JSON.stringify(batch(store.siteKey)));
    expect(without.res.status).toBe(204);
    expect(without.sent).toHaveLength(0);
    const withConsent = await post(JSON.stringify({ ...batch(store.siteKey), consent: true }));
    expect(withConsent.res.status).toBe(204);
    expect(withConsent.sent).toHaveLength(1);
  });

  it('rejects malformed JSON with 400 and queues nothing', async () => {
    const store = await seedStore('collect-bad-json');
    const { res, sent } = await post(`{"siteKey":"${store.siteKey}",`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'invalid_json' } });
    expect(sent).toHaveLength(0);
  });

  it('rejects a schema violation with a readable 400 and stores nothing', async () => {
    const store = await seedStore('collect-bad-schema');
    const body = batch(store.siteKey);
    body.events.push({ id: 'x', type: 'add_to_cart', ts: 1, url: '' } as never);
    const { res, sent } = await post(JSON.stringify(body));
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('validation_failed');
    expect(error.message).toContain('events.1.id');
    expect(error.message).toContain('events.1.productId');
    expect(sent).toHaveLength(0);
    expect(await countEvents(db(env.DB), store.id)).toBe(0);
  });

  it('rejects an unknown site key with 404', async () => {
    const { res, sent } = await post(JSON.stringify(batch('pk_nobody')));
    expect(res.status).toBe(404);
    expect(sent).toHaveLength(0);
  });

  it('rejects an origin the store did not allow with 403 and no CORS headers', async () => {
    const store = await seedStore('collect-origin');
    const { res, sent } = await post(JSON.stringify(batch(store.siteKey)), { Origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBeNull();
    expect(sent).toHaveLength(0);
  });

  it('rejects other content types with 415', async () => {
    const store = await seedStore('collect-type');
    const { res } = await post(JSON.stringify(batch(store.siteKey)), { 'Content-Type': 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(415);
  });

  it('refuses a body over 64 KB with 413, with or without Content-Length', async () => {
    const store = await seedStore('collect-large');
    const big = JSON.stringify(batch(store.siteKey, 'v_visitor_0001', { pad: 'x'.repeat(70 * 1024) }));
    const { res, sent } = await post(big);
    expect(res.status).toBe(413);
    expect(sent).toHaveLength(0);

    const stream = new Blob([big]).stream();
    const request = new Request('https://ns.test/collect', {
      method: 'POST',
      body: stream,
      headers: { 'Content-Type': 'text/plain', Origin: ORIGIN },
      duplex: 'half',
    } as RequestInit);
    const streamed = await SELF.fetch(request);
    expect(streamed.status).toBe(413);
  });

  it('rate-limits one visitor with 429', async () => {
    const store = await seedStore('collect-rate');
    const body = JSON.stringify(batch(store.siteKey, 'v_rate_limited_1'));
    let status = 204;
    let accepted = 0;
    for (let i = 0; i < 2000 && status === 204; i++) {
      ({ status } = (await post(body)).res);
      if (status === 204) accepted++;
    }
    expect(status).toBe(429);
    expect(accepted).toBeGreaterThan(0);
    const other = await post(JSON.stringify(batch(store.siteKey, 'v_other_visitor')), { 'CF-Connecting-IP': '198.51.100.7' });
    expect(other.res.status).toBe(204);
  });

  it('rate-limits one IP across many visitor ids with 429', async () => {
    const store = await seedStore('collect-rate-ip');
    const ip = { 'CF-Connecting-IP': '192.0.2.44' };
    let status = 204;
    for (let i = 0; i < 2000 && status === 204; i++) {
      ({ status } = (await post(JSON.stringify(batch(store.siteKey, `v_ip_visitor_${i}`)), ip)).res);
    }
    expect(status).toBe(429);
    const elsewhere = await post(JSON.stringify(batch(store.siteKey, 'v_ip_visitor_0')), { 'CF-Connecting-IP': '192.0.2.45' });
    expect(elsewhere.res.status).toBe(204);
  });
});

describe('OPTIONS /collect (CORS preflight)', () => {
  it('allows the store origin', async () => {
    const store = await seedStore('collect-preflight');
    const res = await SELF.fetch(`https://ns.test/collect?k=${store.siteKey}`, {
      method: 'OPTIONS',
      headers: { Origin: ORIGIN, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe(ORIGIN);
    expect(res.headers.get('Access-Control-Allow-Methods')).toContain('POST');
    expect(res.headers.get('Access-Control-Allow-Headers')?.toLowerCase()).toContain('content-type');
  });

  it('refuses any other origin', async () => {
    const store = await seedStore('collect-preflight-bad');
    const res = await SELF.fetch(`https://ns.test/collect?k=${store.siteKey}`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' },
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });
});

describe('POST /collect from the plugin bridge (signed)', () => {
  const serverBatch = (store: string) =>
    JSON.stringify({
      store,
      visitorId: 'v_server_visitor',
      events: [{ id: 'ident_0001', type: 'identify', ts: 1_700_000_000_000, email: 'Ann@Example.com', source: 'checkout' }],
    });
  const now = () => Math.floor(Date.now() / 1000);

  it('accepts a valid signature without an Origin and marks the batch trusted', async () => {
    const store = await seedStore('collect-signed');
    const body = serverBatch(store.id);
    const { res, sent } = await post(body, {
      'Content-Type': 'application/json',
      Origin: '',
      'X-Nightshift-Signature': await signNightshift(SECRET, body, now()),
    });
    expect(res.status).toBe(204);
    expect(sent[0]?.trusted).toBe(true);
  });

  it('rejects a wrong signature with 401', async () => {
    const store = await seedStore('collect-signed-bad');
    const body = serverBatch(store.id);
    const { res, sent } = await post(body, {
      'Content-Type': 'application/json',
      'X-Nightshift-Signature': await signNightshift('not-the-secret', body, now()),
    });
    expect(res.status).toBe(401);
    expect(sent).toHaveLength(0);
  });

  it('rejects an expired signature with 401', async () => {
    const store = await seedStore('collect-signed-old');
    const body = serverBatch(store.id);
    const { res } = await post(body, {
      'Content-Type': 'application/json',
      'X-Nightshift-Signature': await signNightshift(SECRET, body, now() - 3600),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'unauthorized', message: 'Signature expired' } });
  });

  it('rejects a signature over different bytes with 401', async () => {
    const store = await seedStore('collect-signed-tampered');
    const body = serverBatch(store.id);
    const signature = await signNightshift(SECRET, body, now());
    const { res } = await post(body.replace('Ann@', 'Eve@'), { 'Content-Type': 'application/json', 'X-Nightshift-Signature': signature });
    expect(res.status).toBe(401);
  });
});
