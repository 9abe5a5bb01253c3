import { Hono } from 'hono';
import type { FetchLike } from '../retry';

/**
 * A local stand-in for api.postmarkapp.com that speaks its wire format: `POST /email` answers one
 * result object (200, or 422 with ErrorCode), `POST /email/batch` answers an array in request order
 * with per-message ErrorCodes, 401 without a valid server token, 429/500 when told to.
 * `GET /messages/outbound` searches what it accepted (`metadata_<key>=<value>`, `messagestream`,
 * which defaults to "outbound" as Postmark's does) and answers `{ TotalCount, Messages }`.
 * 'accept-then-hang' accepts the request's messages, then never answers (the caller times out).
 */
export type FakeFault = 429 | 500 | 503 | 'timeout' | 'accept-then-hang';

export type FakeSentMessage = {
  MessageID: string;
  From: string;
  To: string;
  Subject: string;
  HtmlBody?: string;
  TextBody?: string;
  MessageStream?: string;
  Headers?: { Name: string; Value: string }[];
  Metadata?: Record<string, string>;
  TrackOpens?: boolean;
  TrackLinks?: string;
  Tag?: string;
};

export type PostmarkFake = {
  fetch: FetchLike;
  /** Every message Postmark would have accepted, in order. */
  sent: FakeSentMessage[];
  /** Every HTTP request that reached the fake (faults included), with its path and size. */
  requests: { path: string; count: number }[];
  inactive: Set<string>;
  /** Queue faults for the next requests, in order (one per request). */
  failNext(...faults: FakeFault[]): void;
};

const INACTIVE_MESSAGE = (to: string) =>
  `You tried to send to recipient(s) that have been marked as inactive. Found inactive addresses: ${to}. ` +
  'Inactive recipients are ones that have generated a hard bounce, a spam complaint, or a manual suppression.';

type ItemResult = { status: 200 | 422; body: Record<string, unknown> };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function createPostmarkFake(serverToken: string, streams = ['outbound', 'broadcast']): PostmarkFake {
  const sent: FakeSentMessage[] = [];
  const requests: { path: string; count: number }[] = [];
  const faults: FakeFault[] = [];
  const inactive = new Set<string>();
  let counter = 0;

  function accept(message: Record<string, unknown>): ItemResult {
    const { From, To, Subject, HtmlBody, TextBody, MessageStream } = message;
    if (typeof From !== 'string' || typeof To !== 'string' || typeof Subject !== 'string' || (!HtmlBody && !TextBody)) {
      return { status: 422, body: { ErrorCode: 300, Message: 'Invalid email request' } };
    }
    if (typeof MessageStream === 'string' && !streams.includes(MessageStream)) {
      return { status: 422, body: { ErrorCode: 1235, Message: `The 'MessageStream' provided does not exist on this server.` } };
    }
    if (inactive.has(To.toLowerCase())) return { status: 422, body: { ErrorCode: 406, Message: INACTIVE_MESSAGE(To) } };
    counter += 1;
    const MessageID = `00000000-0000-4000-8000-${counter.toString().padStart(12, '0')}`;
    sent.push({ ...(message as FakeSentMessage), MessageID });
    const SubmittedAt = new Date(Date.UTC(2026, 10, 24, 12, 0, counter % 60)).toISOString();
    return { status: 200, body: { To, SubmittedAt, MessageID, ErrorCode: 0, Message: 'OK' } };
  }

  const app = new Hono();
  app.use('*', async (c, next) => {
    if (c.req.header('X-Postmark-Server-Token') !== serverToken) {
      return c.json({ ErrorCode: 10, Message: 'The Server Token you provided in the X-Postmark-Server-Token request header was invalid.' }, 401);
    }
    const json = c.req.method === 'GET' || c.req.header('Content-Type')?.startsWith('application/json');
    if (!json || c.req.header('Accept') !== 'application/json') {
      return c.json({ ErrorCode: 409, Message: 'JSON request required.' }, 422);
    }
    await next();
  });
  app.post('/email', async (c) => {
    const body: unknown = await c.req.json();
    requests.push({ path: '/email', count: 1 });
    if (!isRecord(body)) return c.json({ ErrorCode: 402, Message: 'Received invalid JSON input.' }, 422);
    const result = accept(body);
    return c.json(result.body, result.status);
  });
  app.post('/email/batch', async (c) => {
    const body: unknown = await c.req.json();
    if (!Array.isArray(body)) return c.json({ ErrorCode: 402, Message: 'Received invalid JSON input.' }, 422);
    requests.push({ path: '/email/batch', count: body.length });
    if (body.length > 500) return c.json({ ErrorCode: 410, Message: 'Too many batch messages.' }, 422);
    return c.json(body.map((m) => (isRecord(m) ? accept(m).body : { ErrorCode: 300, Message: 'Invalid email request' })));
  });

  app.get('/messages/outbound', (c) => {
    const query = new URL(c.req.url).searchParams;
    const count = Number(query.get('count'));
    const offset = Number(query.get('offset'));
    requests.push({ path: '/messages/outbound', count: 0 });
    if (!Number.isInteger(count) || count < 1 || count > 500 || !Number.isInteger(offset) || offset < 0) {
      return c.json({ ErrorCode: 600, Message: 'Count and offset are required and count must be between 1 and 500.' }, 422);
    }
    const stream = query.get('messagestream') ?? 'outbound';
    const wanted = [...query].filter(([k]) => k.startsWith('metadata_')).map(([k, v]) => [k.slice('metadata_'.length), v] as const);
    const matches = sent
      .filter((m) => (m.MessageStream ?? 'outbound') === stream && wanted.every(([k, v]) => m.Metadata?.[k] === v))
      .reverse();
    const Messages = matches.slice(offset, offset + count).map((m) => ({
      Tag: m.Tag ?? '', MessageID: m.MessageID, MessageStream: m.MessageStream ?? 'outbound', To: [{ Email: m.To, Name: null }], Cc: [], Bcc: [],
      Recipients: [m.To], ReceivedAt: '2026-11-24T12:00:00Z', From: m.From, Subject: m.Subject, Attachments: [], Status: 'Sent', TrackOpens: m.TrackOpens ?? false,
      TrackLinks: m.TrackLinks ?? 'None', Metadata: m.Metadata ?? {}, Sandboxed: false,
    }));
    return c.json({ TotalCount: matches.length, Messages });
  });

  const fetcher: FetchLike = async (input, init) => {
    const fault = faults.shift();
    if (fault === 'timeout') throw new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    if (fault === 'accept-then-hang') {
      await app.fetch(new Request(input, init));
      throw new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    }
    if (fault !== undefined) {
      requests.push({ path: new URL(input).pathname, count: 0 });
      const body = fault === 429 ? { ErrorCode: 429, Message: 'Rate limit exceeded.' } : { ErrorCode: 100, Message: 'Maintenance' };
      return Response.json(body, { status: fault, headers: fault === 429 ? { 'Retry-After': '1' } : {} });
    }
    return app.fetch(new Request(input, init));
  };

  return { fetch: fetcher, sent, requests, inactive, failNext: (...f) => void faults.push(...f) };
}
