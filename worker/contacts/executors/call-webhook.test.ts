import { describe, expect, it } from 'vitest';
import { findWebhookCall } from '../../db/queries/webhook-calls';
import type { CallWebhookAction } from '../../journeys/actions';
import { SIGNATURE_HEADER, verifyNightshiftSignature } from '../../lib/hmac';
import type { FetchLike } from '../../messaging/retry';
import { callWebhook, WEBHOOK_IDEMPOTENCY_HEADER } from './call-webhook';
import { origin, seedExecutorContext } from './test/seed';

const NOW = Date.UTC(2026, 10, 24, 21, 0, 0);

type Received = { url: string; headers: Headers; body: string };

/** A receiving endpoint that answers the scripted statuses in order, then 200. */
function receiver(...script: (number | 'network')[]) {
  const received: Received[] = [];
  const fetcher: FetchLike = async (url, init) => {
    const step = script.shift() ?? 200;
    if (step === 'network') throw new TypeError('Network connection lost.');
    received.push({ url, headers: new Headers(init.headers), body: String(init.body) });
    return new Response(step === 200 ? '{"ok":true}' : 'nope', { status: step });
  };
  return { fetcher, received };
}

function action(enrollment: string, url = 'https://hooks.example/nightshift'): CallWebhookAction {
  return { ...origin(enrollment, 'notify'), type: 'call_webhook', url, context: { coupons: [], cart: { value: 42, itemCount: 1, lines: [{ productId: 7, quantity: 1, price: 42 }] } } };
}

describe('call_webhook', () => {
  it('POSTs the context signed with the store secret and an idempotency key, once', async () => {
    const ctx = await seedExecutorContext('hook-a', NOW);
    const { fetcher, received } = receiver();
    expect(await callWebhook(ctx, action('enr_1'), fetcher)).toEqual({ status: 'done' });
    expect(received).toHaveLength(1);
    const [call] = received;
    expect(call?.headers.get(WEBHOOK_IDEMPOTENCY_HEADER)).toBe('enr_1:notify');
    expect(call?.headers.get('Content-Type')).toBe('application/json');
    const check = await verifyNightshiftSignature(ctx.store.webhookSecret, call?.body ?? '', call?.headers.get(SIGNATURE_HEADER) ?? undefined, NOW / 1000);
    expect(check).toBe('ok');
    expect(JSON.parse(call?.body ?? '{}')).toMatchObject({
      id: 'enr_1:notify',
      store: 'hook-a',
      contact: { id: ctx.contact.id, email: 'ann@hook-a.example' },
      flow: { id: 'abandoned-cart', enrollmentId: 'enr_1', nodeId: 'notify' },
      context: { cart: { value: 42 } },
    });
    expect(await callWebhook(ctx, action('enr_1'), fetcher)).toEqual({ status: 'done' });
    expect(received).toHaveLength(1);
    expect(await findWebhookCall(ctx.d, 'hook-a', 'enr_1:notify')).toMatchObject({ status: 'delivered', responseStatus: 200, attempts: 1 });
  });

  it('throws on 5xx and network errors so the runtime retries, then delivers', async () => {
    const ctx = await seedExecutorContext('hook-b', NOW);
    const { fetcher, received } = receiver(503, 'network');
    await expect(callWebhook(ctx, action('enr_2'), fetcher)).rejects.toThrow(/HTTP 503/);
    await expect(callWebhook(ctx, action('enr_2'), fetcher)).rejects.toThrow(/unreachable/);
    expect(await callWebhook(ctx, action('enr_2'), fetcher)).toEqual({ status: 'done' });
    expect(received.map((r) => r.headers.get(WEBHOOK_IDEMPOTENCY_HEADER))).toEqual(['enr_2:notify', 'enr_2:notify']);
    expect(await findWebhookCall(ctx.d, 'hook-b', 'enr_2:notify')).toMatchObject({ status: 'delivered', attempts: 3 });
  });

  it('treats a 4xx as final: skipped with the reason, never called again', async () => {
    const ctx = await seedExecutorContext('hook-c', NOW);
    const { fetcher, received } = receiver(410);
    expect(await callWebhook(ctx, action('enr_3'), fetcher)).toEqual({ status: 'skipped', reason: 'webhook answered HTTP 410' });
    expect(await callWebhook(ctx, action('enr_3'), fetcher)).toMatchObject({ status: 'skipped' });
    expect(received).toHaveLength(1);
    expect(await callWebhook(ctx, action('enr_4', 'javascript:alert(1)'), fetcher)).toMatchObject({ status: 'skipped' });
    expect(received).toHaveLength(1);
  });
});
