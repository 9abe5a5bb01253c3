import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors';
import { createPostmarkClient, type OutgoingEmail } from './postmark-client';
import { createPostmarkFake } from '../test/postmark-fake';

const TOKEN = 'server-token-test';

function email(n: number, overrides: Partial<OutgoingEmail> = {}): OutgoingEmail {
  return {
    sendId: `snd_${n}`,
    from: 'Boutique <shop@example.com>',
    to: `buyer${n}@example.net`,
    subject: `Hello ${n}`,
    html: `<p>Hello ${n}</p>`,
    text: `Hello ${n}`,
    listUnsubscribeUrl: `https://ns.example.com/u/tok${n}`,
    ...overrides,
  };
}

function setup(options: { maxAttempts?: number } = {}) {
  const fake = createPostmarkFake(TOKEN);
  const delays: number[] = [];
  const client = createPostmarkClient({
    serverToken: TOKEN,
    baseUrl: 'https://postmark.fake/',
    fetch: fake.fetch,
    retry: {
      maxAttempts: options.maxAttempts ?? 4,
      baseDelayMs: 100,
      maxDelayMs: 10_000,
      sleep: async (ms) => void delays.push(ms),
      random: () => 0.5,
    },
  });
  return { fake, client, delays };
}

describe('Postmark client: wire format', () => {
  it('sends one marketing message on the broadcast stream with our headers and metadata', async () => {
    const { fake, client } = setup();
    const result = await client.send(email(1, { metadata: { flow: 'cart' }, tag: 'cart-reminder' }));
    expect(result).toEqual({ status: 'sent', sendId: 'snd_1', messageId: fake.sent[0]?.MessageID, attempts: 1 });
    expect(fake.sent[0]).toMatchObject({
      To: 'buyer1@example.net',
      MessageStream: 'broadcast',
      Metadata: { flow: 'cart', send_id: 'snd_1' },
      TrackOpens: false,
      TrackLinks: 'None',
      Headers: [
        { Name: 'List-Unsubscribe', Value: '<https://ns.example.com/u/tok1>' },
        { Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' },
      ],
    });
  });

  it('rejects metadata outside Postmark limits and a non-HTTPS unsubscribe URL before any request', async () => {
    const { fake, client } = setup();
    const tooMany = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, 'v']));
    await expect(client.send(email(1, { metadata: tooMany }))).rejects.toBeInstanceOf(AppError);
    await expect(client.send(email(2, { metadata: { ['k'.repeat(21)]: 'v' } }))).rejects.toBeInstanceOf(AppError);
    await expect(client.send(email(3, { metadata: { k: 'v'.repeat(81) } }))).rejects.toBeInstanceOf(AppError);
    await expect(client.send(email(4, { listUnsubscribeUrl: 'http://ns.example.com/u/x' }))).rejects.toBeInstanceOf(AppError);
    await expect(client.sendBatch([email(5), email(6, { listUnsubscribeUrl: 'mailto:x@example.com' })])).rejects.toBeInstanceOf(AppError);
    expect(fake.requests).toEqual([]);
  });

  it('reports a wrong server token as a final failure', async () => {
    const fake = createPostmarkFake(TOKEN);
    const client = createPostmarkClient({ serverToken: 'wrong', baseUrl: 'https://postmark.fake', fetch: fake.fetch });
    expect(await client.send(email(1))).toMatchObject({ status: 'failed', httpStatus: 401, errorCode: 10, retryable: false });
  });
});

describe('Postmark client: batches', () => {
  it('splits 1201 messages into batches of at most 500 and maps every per-message result', async () => {
    const { fake, client } = setup();
    fake.inactive.add('buyer7@example.net');
    fake.inactive.add('buyer1100@example.net');
    const emails = Array.from({ length: 1201 }, (_, i) => email(i));
    const results = await client.sendBatch(emails);
    expect(fake.requests).toEqual([
      { path: '/email/batch', count: 500 },
      { path: '/email/batch', count: 500 },
      { path: '/email/batch', count: 201 },
    ]);
    expect(results).toHaveLength(1201);
    expect(results.map((r) => r.sendId)).toEqual(emails.map((e) => e.sendId));
    expect(results[7]).toMatchObject({ status: 'inactive', errorCode: 406 });
    expect(results[1100]).toMatchObject({ status: 'inactive', errorCode: 406 });
    expect(results.filter((r) => r.status === 'sent')).toHaveLength(1199);
    expect(fake.sent).toHaveLength(1199);
    const second = results[8];
    expect(second?.status === 'sent' && fake.sent.some((m) => m.MessageID === second.messageId && m.To === 'buyer8@example.net')).toBe(true);
  });

  it('retries a throttled batch and sends it once', async () => {
    const { fake, client, delays } = setup();
    fake.failNext(429);
    const results = await client.sendBatch([email(1), email(2)]);
    expect(results.map((r) => r.status)).toEqual(['sent', 'sent']);
    expect(fake.sent).toHaveLength(2);
    expect(delays).toEqual([1000]);
  });
});

describe('Postmark client: retries', () => {
  it('never resends after a timeout: Postmark accepted and never answered, so the outcome is unknown and search finds it', async () => {
    const { fake, client, delays } = setup({ maxAttempts: 5 });
    fake.failNext('accept-then-hang');
    expect(await client.send(email(1))).toMatchObject({ status: 'unknown', message: expect.stringContaining('TimeoutError') });
    expect(fake.sent).toHaveLength(1);
    expect(delays).toEqual([]);
    expect(await client.lookupSent(fake.sent[0]!.Metadata!.send_id!)).toEqual({ status: 'found', messageId: fake.sent[0]!.MessageID });
    expect(await client.lookupSent('snd_never_sent')).toEqual({ status: 'not_found' });

    fake.failNext('accept-then-hang');
    const batch = await client.sendBatch([email(2), email(3)]);
    expect(batch.map((r) => r.status)).toEqual(['unknown', 'unknown']);
    expect(fake.sent).toHaveLength(3);
  });

  it('a 200 batch answer that leaves a message out makes that one unknown (to look up), not failed', async () => {
    const fake = createPostmarkFake(TOKEN);
    const short = async (input: string, init: RequestInit) => {
      if (init.method === 'GET') return fake.fetch(input, init);
      const answer = (await (await fake.fetch(input, init)).json()) as unknown[];
      return Response.json(answer.slice(0, 1));
    };
    const client = createPostmarkClient({ serverToken: TOKEN, baseUrl: 'https://postmark.fake', fetch: short, retry: { sleep: async () => {} } });
    const results = await client.sendBatch([email(1), email(2)]);
    expect(results.map((r) => r.status)).toEqual(['sent', 'unknown']);
    // Postmark did take it: the lookup finds it, so it will be marked sent rather than sent twice.
    expect(await client.lookupSent('snd_2')).toEqual({ status: 'found', messageId: fake.sent[1]!.MessageID });
  });

  it('backs off exponentially with jitter on 500, 503 and 500 again, then succeeds', async () => {
    const { fake, client, delays } = setup({ maxAttempts: 5 });
    fake.failNext(500, 503, 500);
    const result = await client.send(email(1));
    expect(result).toMatchObject({ status: 'sent', attempts: 4 });
    expect(delays).toEqual([50, 100, 200]);
    expect(fake.sent).toHaveLength(1);
  });

  it('gives up after the last attempt and marks the failure retryable', async () => {
    const { fake, client, delays } = setup({ maxAttempts: 3 });
    fake.failNext(500, 500, 500);
    expect(await client.send(email(1))).toMatchObject({ status: 'failed', httpStatus: 500, retryable: true });
    expect(delays).toHaveLength(2);
    expect(fake.sent).toHaveLength(0);
  });

  it('never retries a 422 validation error', async () => {
    const fake = createPostmarkFake(TOKEN, ['outbound']);
    const delays: number[] = [];
    const client = createPostmarkClient({
      serverToken: TOKEN,
      baseUrl: 'https://postmark.fake',
      fetch: fake.fetch,
      retry: { sleep: async (ms) => void delays.push(ms) },
    });
    const result = await client.send(email(1));
    expect(result).toMatchObject({ status: 'failed', httpStatus: 422, errorCode: 1235, retryable: false });
    expect(fake.requests).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it('turns 406 into inactive without retrying', async () => {
    const { fake, client, delays } = setup();
    fake.inactive.add('buyer1@example.net');
    const result = await client.send(email(1));
    expect(result).toMatchObject({ status: 'inactive', sendId: 'snd_1', errorCode: 406 });
    expect(result.status === 'inactive' && result.message).toContain('buyer1@example.net');
    expect(fake.requests).toHaveLength(1);
    expect(delays).toEqual([]);
  });
});
