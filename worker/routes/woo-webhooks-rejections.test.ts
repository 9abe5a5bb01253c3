import { describe, expect, it } from 'vitest';
import { hmacSha256, toBase64 } from '../lib/hmac';
import {
  deliveries,
  fixture,
  fixtureBytes,
  fixtureHeaders,
  pingFixture,
  post,
  seedStore,
  send,
  signedHeaders as signed,
} from '../test/woo-fixtures';

describe('POST /webhooks/woocommerce/:store rejects', () => {
  const store = 'wh-reject';

  async function rejected(res: Response, status: number, code: string) {
    expect(res.status).toBe(status);
    expect(await res.json()).toMatchObject({ error: { code } });
  }

  it('an unknown store with 401, like a bad signature (store ids cannot be enumerated)', async () => {
    await rejected(await send('no-such-store', 'order.created'), 401, 'unauthorized');
  });

  it('a wrong, missing or mismatched signature with 401, before reading the JSON', async () => {
    await seedStore(store);
    const f = fixture('order.created');
    const wrong = fixtureHeaders(f);
    wrong.set('X-WC-Webhook-Signature', fixture('order.created.guest').signature);
    await rejected(await post(store, fixtureBytes(f), wrong), 401, 'unauthorized');

    const missing = fixtureHeaders(f);
    missing.delete('X-WC-Webhook-Signature');
    await rejected(await post(store, fixtureBytes(f), missing), 401, 'unauthorized');

    const tampered = fixtureBytes(f);
    tampered[tampered.length - 2] = (tampered[tampered.length - 2] ?? 0) ^ 1;
    await rejected(await post(store, tampered, fixtureHeaders(f)), 401, 'unauthorized');

    // Signed with another secret: even a body that is not JSON is refused for its signature first.
    const other = fixtureHeaders(f);
    const junk = new TextEncoder().encode('{not json');
    other.set('X-WC-Webhook-Signature', toBase64(await hmacSha256('another secret', junk)));
    await rejected(await post(store, junk, other), 401, 'unauthorized');
    expect(await deliveries(store)).toEqual([]);
  });

  it('malformed JSON, a payload that does not fit its topic, or no topic with 400', async () => {
    await seedStore(store);
    const junk = new TextEncoder().encode('{"id":17,');
    await rejected(await post(store, junk, await signed(junk)), 400, 'invalid_json');

    const noStatus = new TextEncoder().encode('{"id":17,"total":"1.00"}');
    await rejected(await post(store, noStatus, await signed(noStatus)), 400, 'validation_failed');

    const body = fixtureBytes(fixture('order.created'));
    const headers = await signed(body);
    headers.delete('X-WC-Webhook-Topic');
    await rejected(await post(store, body, headers), 400, 'bad_request');
    expect(await deliveries(store)).toEqual([]);
  });

  it('a body over 1 MB with 413, by Content-Length and by the bytes actually read', async () => {
    await seedStore(store);
    const big = new Uint8Array(1024 * 1024 + 1).fill(0x20);
    await rejected(await post(store, big, await signed(big)), 413, 'payload_too_large');

    // Streamed without a Content-Length: the cap applies to what arrives.
    const chunk = new Uint8Array(256 * 1024).fill(0x20);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 5; i++) controller.enqueue(chunk);
        controller.close();
      },
    });
    const headers = fixtureHeaders(fixture('order.created'));
    await rejected(await post(store, stream, headers), 413, 'payload_too_large');
    expect(await deliveries(store)).toEqual([]);
  });

  it('nothing for the unsigned ping: it gets 200 and records nothing', async () => {
    await seedStore(store);
    const headers = fixtureHeaders(pingFixture);
    expect(headers.get('Content-Type')).toBe('application/x-www-form-urlencoded');
    const res = await post(store, fixtureBytes(pingFixture), headers);
    expect(res.status).toBe(200);
    expect(await deliveries(store)).toEqual([]);
  });
});
