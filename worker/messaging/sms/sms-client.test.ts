import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors';
import { createSmsClient } from './sms-client';
import { createTwilioFake } from '../test/twilio-fake';

const SID = 'AC11111111111111111111111111111111';
const TOKEN = 'twilio-token';

function setup(extra: { messagingServiceSid?: string; authToken?: string } = {}) {
  const fake = createTwilioFake(SID, TOKEN);
  const delays: number[] = [];
  const client = createSmsClient({
    accountSid: SID,
    authToken: extra.authToken ?? TOKEN,
    ...(extra.messagingServiceSid ? { messagingServiceSid: extra.messagingServiceSid } : { from: '+33700000000' }),
    baseUrl: 'https://twilio.fake',
    fetch: fake.fetch,
    retry: { maxAttempts: 4, baseDelayMs: 200, sleep: async (ms) => void delays.push(ms), random: () => 0.25 },
  });
  return { fake, client, delays };
}

describe('Twilio-compatible SMS client', () => {
  it('posts a form-encoded message with Basic auth and returns the message sid', async () => {
    const { fake, client } = setup();
    const result = await client.send({ to: '+33612345678', body: 'Votre panier vous attend' });
    expect(result).toMatchObject({ status: 'sent', providerStatus: 'queued', attempts: 1 });
    expect(fake.sent).toEqual([
      { To: '+33612345678', Body: 'Votre panier vous attend', From: '+33700000000', sid: result.status === 'sent' ? result.sid : '' },
    ]);
  });

  it('uses a messaging service instead of a From number when configured', async () => {
    const { fake, client } = setup({ messagingServiceSid: 'MG123' });
    await client.send({ to: '+15555550100', body: 'Hi' });
    expect(fake.sent[0]).toMatchObject({ MessagingServiceSid: 'MG123' });
    expect(fake.sent[0]?.From).toBeUndefined();
  });

  it('retries 429, 500 and a timeout with jittered exponential backoff', async () => {
    const { fake, client, delays } = setup();
    fake.failNext(429, 'timeout', 500);
    expect(await client.send({ to: '+33612345678', body: 'x' })).toMatchObject({ status: 'sent', attempts: 4 });
    expect(delays).toEqual([50, 100, 200]);
    expect(fake.sent).toHaveLength(1);
  });

  it('gives up after the last attempt with a retryable failure carrying Twilio’s code', async () => {
    const { fake, client } = setup();
    fake.failNext(503, 503, 503, 503);
    expect(await client.send({ to: '+33612345678', body: 'x' })).toEqual({
      status: 'failed',
      code: 20500,
      httpStatus: 503,
      message: 'An internal server error has occurred',
      retryable: true,
    });
  });

  it('parses a 4xx error body and never retries it', async () => {
    const { fake, client, delays } = setup({ authToken: 'wrong' });
    expect(await client.send({ to: '+33612345678', body: 'x' })).toMatchObject({ status: 'failed', code: 20003, httpStatus: 401, retryable: false });
    expect(fake.requests).toBe(1);
    expect(delays).toEqual([]);
  });

  it('reports an unsubscribed recipient (21610) as opted out', async () => {
    const { fake, client } = setup();
    fake.optedOut.add('+33612345678');
    expect(await client.send({ to: '+33612345678', body: 'x' })).toMatchObject({ status: 'opted_out', code: 21610 });
    expect(fake.requests).toBe(1);
  });

  it('validates numbers and options before any request', async () => {
    const { fake, client } = setup();
    await expect(client.send({ to: '0612345678', body: 'x' })).rejects.toBeInstanceOf(AppError);
    expect(fake.requests).toBe(0);
    expect(() => createSmsClient({ accountSid: SID, authToken: TOKEN })).toThrow(AppError);
  });
});
