import { z } from 'zod';
import { validationError } from '../../errors';
import { defaultRetryPolicy, fetchWithRetry, type FetchLike, type HttpOutcome, type RetryPolicy } from '../retry';
import { lookupSent, type SentLookup } from './postmark-search';

export const POSTMARK_BASE_URL = 'https://api.postmarkapp.com';
export const POSTMARK_BATCH_LIMIT = 500;
/** Postmark's ErrorCode for a recipient that hard-bounced, complained or was suppressed. */
export const POSTMARK_INACTIVE_RECIPIENT = 406;

/** Postmark's limits: at most 10 keys, keys ≤ 20 chars, values ≤ 80 chars, values always strings. */
export const PostmarkMetadata = z
  .record(z.string().min(1).max(20), z.string().max(80))
  .refine((m) => Object.keys(m).length <= 10, 'at most 10 metadata keys');
export type PostmarkMetadata = z.infer<typeof PostmarkMetadata>;

export const OutgoingEmail = z.object({
  sendId: z.string().min(1).max(80),
  from: z.string().min(3),
  to: z.string().min(3),
  replyTo: z.string().min(3).optional(),
  subject: z.string().min(1).max(2000),
  html: z.string().min(1),
  text: z.string().min(1),
  tag: z.string().max(1000).optional(),
  /** RFC 8058 one-click target; mailbox providers only honour HTTPS. */
  listUnsubscribeUrl: z.url({ protocol: /^https$/ }),
  metadata: PostmarkMetadata.optional(),
});
export type OutgoingEmail = z.infer<typeof OutgoingEmail>;

export type PostmarkHeader = { Name: string; Value: string };
export type PostmarkMessage = {
  From: string;
  To: string;
  ReplyTo?: string;
  Subject: string;
  HtmlBody: string;
  TextBody: string;
  Tag?: string;
  Headers: PostmarkHeader[];
  Metadata: PostmarkMetadata;
  MessageStream: string;
  TrackOpens: boolean;
  TrackLinks: 'None';
};

/** One item of `POST /email/batch`'s array, and the body of `POST /email` (200 and 422 alike). */
export const PostmarkResult = z.object({
  ErrorCode: z.number(),
  Message: z.string(),
  MessageID: z.string().optional(),
  SubmittedAt: z.string().optional(),
  To: z.string().optional(),
});
export type PostmarkResult = z.infer<typeof PostmarkResult>;

export type EmailSendResult =
  | { status: 'sent'; sendId: string; messageId: string; attempts: number }
  | { status: 'inactive'; sendId: string; errorCode: number; message: string }
  /** No answer (timeout, dropped connection): Postmark may have accepted it; search before any resend. */
  | { status: 'unknown'; sendId: string; message: string }
  | {
      status: 'failed';
      sendId: string;
      errorCode: number | null;
      httpStatus: number | null;
      message: string;
      /** True when the provider never accepted the message (429/5xx after every retry). */
      retryable: boolean;
    };

export type PostmarkClientOptions = {
  serverToken: string;
  baseUrl?: string;
  /** A broadcast stream: marketing must not share a reputation with transactional mail. */
  messageStream?: string;
  fetch?: FetchLike;
  retry?: Partial<RetryPolicy>;
};

export type PostmarkClient = {
  send(email: OutgoingEmail): Promise<EmailSendResult>;
  sendBatch(emails: OutgoingEmail[]): Promise<EmailSendResult[]>;
  /** Whether Postmark holds a message carrying this send id in its Metadata, on the client's stream. */
  lookupSent(sendId: string): Promise<SentLookup>;
};

/**
 * Our own link and open tracking decide what is recorded (and respect consent), so Postmark's
 * tracking stays off. The stream's unsubscribe handling must be "None" so ours is the only one.
 */
export function toPostmarkMessage(email: OutgoingEmail, messageStream: string): PostmarkMessage {
  const parsed = OutgoingEmail.safeParse(email);
  if (!parsed.success) throw validationError(parsed.error, 'email');
  const e = parsed.data;
  const metadata = PostmarkMetadata.safeParse({ ...e.metadata, send_id: e.sendId });
  if (!metadata.success) throw validationError(metadata.error, 'metadata');
  return {
    From: e.from,
    To: e.to,
    ...(e.replyTo ? { ReplyTo: e.replyTo } : {}),
    Subject: e.subject,
    HtmlBody: e.html,
    TextBody: e.text,
    ...(e.tag ? { Tag: e.tag } : {}),
    Headers: [
      { Name: 'List-Unsubscribe', Value: `<${e.listUnsubscribeUrl}>` },
      { Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' },
    ],
    Metadata: metadata.data,
    MessageStream: messageStream,
    TrackOpens: false,
    TrackLinks: 'None',
  };
}

export function resultFromItem(sendId: string, item: PostmarkResult, attempts: number): EmailSendResult {
  if (item.ErrorCode === 0 && item.MessageID) {
    return { status: 'sent', sendId, messageId: item.MessageID, attempts };
  }
  if (item.ErrorCode === POSTMARK_INACTIVE_RECIPIENT) {
    return { status: 'inactive', sendId, errorCode: item.ErrorCode, message: item.Message };
  }
  return { status: 'failed', sendId, errorCode: item.ErrorCode, httpStatus: null, message: item.Message, retryable: false };
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return null;
  }
}

/** A whole-request failure (auth, validation, throttling, outage) applies to every message in it. */
async function requestFailure(outcome: HttpOutcome, sendId: string): Promise<EmailSendResult> {
  if (outcome.kind === 'network') return { status: 'unknown', sendId, message: `outcome unknown: ${outcome.error}` };
  const { response } = outcome;
  const body = PostmarkResult.safeParse(await readJson(response));
  const errorCode = body.success ? body.data.ErrorCode : null;
  const message = body.success ? body.data.Message : `HTTP ${response.status}`;
  if (errorCode === POSTMARK_INACTIVE_RECIPIENT) return { status: 'inactive', sendId, errorCode, message };
  const retryable = response.status === 429 || response.status >= 500;
  return { status: 'failed', sendId, errorCode, httpStatus: response.status, message, retryable };
}

/**
 * Postmark answers a batch in request order. A 200 whose answer is short or unreadable accepted the
 * request, so the messages it does not answer for are unknown (looked up later), never failed or resent.
 */
async function batchResults(emails: OutgoingEmail[], outcome: HttpOutcome): Promise<EmailSendResult[]> {
  if (outcome.kind === 'response' && outcome.response.ok) {
    const items = z.array(PostmarkResult).safeParse(await readJson(outcome.response));
    const unknown = (sendId: string): EmailSendResult => ({ status: 'unknown', sendId, message: 'outcome unknown: no result in batch response' });
    if (!items.success) return emails.map((e) => unknown(e.sendId));
    return emails.map((e, i) => {
      const item = items.data[i];
      return item ? resultFromItem(e.sendId, item, outcome.attempts) : unknown(e.sendId);
    });
  }
  const failure = await requestFailure(outcome, '');
  return emails.map((e) => ({ ...failure, sendId: e.sendId }));
}

export function createPostmarkClient(options: PostmarkClientOptions): PostmarkClient {
  const baseUrl = (options.baseUrl ?? POSTMARK_BASE_URL).replace(/\/+$/, '');
  const stream = options.messageStream ?? 'broadcast';
  const fetcher: FetchLike = options.fetch ?? ((input, init) => fetch(input, init));
  const policy: RetryPolicy = { ...defaultRetryPolicy, ...options.retry };
  const headers = {
    Accept: 'application/json',
    'Content-Type': 'application/json',
    'X-Postmark-Server-Token': options.serverToken,
  };
  // A send is retried on 429/5xx only (Postmark refused it); a timeout may hide an accepted message.
  const post = (path: string, body: unknown) =>
    fetchWithRetry(fetcher, `${baseUrl}${path}`, { method: 'POST', headers, body: JSON.stringify(body) }, policy, { retryNetworkErrors: false });
  const get = (path: string) => fetchWithRetry(fetcher, `${baseUrl}${path}`, { method: 'GET', headers: { Accept: 'application/json', 'X-Postmark-Server-Token': options.serverToken } }, policy);

  async function send(email: OutgoingEmail): Promise<EmailSendResult> {
    const outcome = await post('/email', toPostmarkMessage(email, stream));
    if (outcome.kind === 'response' && outcome.response.ok) {
      const item = PostmarkResult.safeParse(await readJson(outcome.response));
      if (item.success) return resultFromItem(email.sendId, item.data, outcome.attempts);
    }
    return requestFailure(outcome, email.sendId);
  }

  async function sendChunk(emails: OutgoingEmail[], messages: PostmarkMessage[]): Promise<EmailSendResult[]> {
    return batchResults(emails, await post('/email/batch', messages));
  }

  /** Validates every message before the first request so a bad one cannot leave a batch half sent. */
  async function sendBatch(emails: OutgoingEmail[]): Promise<EmailSendResult[]> {
    const messages = emails.map((e) => toPostmarkMessage(e, stream));
    const results: EmailSendResult[] = [];
    for (let i = 0; i < emails.length; i += POSTMARK_BATCH_LIMIT) {
      const end = i + POSTMARK_BATCH_LIMIT;
      results.push(...(await sendChunk(emails.slice(i, end), messages.slice(i, end))));
    }
    return results;
  }

  return { send, sendBatch, lookupSent: (sendId) => lookupSent(get, sendId, stream) };
}
