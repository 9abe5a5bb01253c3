import { z } from 'zod';
import { validationError } from '../../errors';
import { defaultRetryPolicy, fetchWithRetry, type FetchLike, type RetryPolicy } from '../retry';

export const TWILIO_BASE_URL = 'https://api.twilio.com';
/** Twilio: "Attempt to send to unsubscribed recipient" (the number texted STOP to the sender). */
export const TWILIO_UNSUBSCRIBED_RECIPIENT = 21610;

export const SmsClientOptions = z
  .object({
    accountSid: z.string().min(1),
    authToken: z.string().min(1),
    from: z.string().min(1).optional(),
    messagingServiceSid: z.string().min(1).optional(),
    baseUrl: z.url().default(TWILIO_BASE_URL),
    statusCallback: z.url().optional(),
  })
  .refine((o) => o.from || o.messagingServiceSid, 'either from or messagingServiceSid is required');
export type SmsClientOptions = z.input<typeof SmsClientOptions>;

export const OutgoingSms = z.object({
  to: z.string().regex(/^\+[1-9]\d{6,14}$/, 'an E.164 phone number'),
  body: z.string().min(1).max(1600),
});
export type OutgoingSms = z.infer<typeof OutgoingSms>;

/** Twilio's error body: `{ code, message, more_info, status }`. */
export const TwilioError = z.object({ code: z.number().nullable(), message: z.string() });
export type TwilioError = z.infer<typeof TwilioError>;

const TwilioMessage = z.object({ sid: z.string(), status: z.string() });

export type SmsSendResult =
  | { status: 'sent'; sid: string; providerStatus: string; attempts: number }
  | { status: 'opted_out'; code: number; message: string }
  | { status: 'failed'; code: number | null; httpStatus: number | null; message: string; retryable: boolean };

export type SmsClient = { send(sms: OutgoingSms): Promise<SmsSendResult> };

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return null;
  }
}

async function resultOf(response: Response, attempts: number): Promise<SmsSendResult> {
  const body = await readJson(response);
  if (response.ok) {
    const message = TwilioMessage.safeParse(body);
    if (message.success) return { status: 'sent', sid: message.data.sid, providerStatus: message.data.status, attempts };
  }
  const error = TwilioError.safeParse(body);
  const code = error.success ? error.data.code : null;
  const text = error.success ? error.data.message : `HTTP ${response.status}`;
  if (code === TWILIO_UNSUBSCRIBED_RECIPIENT) return { status: 'opted_out', code, message: text };
  const retryable = response.status === 429 || response.status >= 500;
  return { status: 'failed', code, httpStatus: response.status, message: text, retryable };
}

export function createSmsClient(options: SmsClientOptions & { fetch?: FetchLike; retry?: Partial<RetryPolicy> }): SmsClient {
  const parsed = SmsClientOptions.safeParse(options);
  if (!parsed.success) throw validationError(parsed.error, 'sms options');
  const o = parsed.data;
  const url = `${o.baseUrl.replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(o.accountSid)}/Messages.json`;
  const fetcher: FetchLike = options.fetch ?? ((input, init) => fetch(input, init));
  const policy: RetryPolicy = { ...defaultRetryPolicy, ...options.retry };
  const headers = {
    Authorization: `Basic ${btoa(`${o.accountSid}:${o.authToken}`)}`,
    Accept: 'application/json',
    'Content-Type': 'application/x-www-form-urlencoded',
  };

  async function send(sms: OutgoingSms): Promise<SmsSendResult> {
    const input = OutgoingSms.safeParse(sms);
    if (!input.success) throw validationError(input.error, 'sms');
    const form = new URLSearchParams({ To: input.data.to, Body: input.data.body });
    if (o.messagingServiceSid) form.set('MessagingServiceSid', o.messagingServiceSid);
    else if (o.from) form.set('From', o.from);
    if (o.statusCallback) form.set('StatusCallback', o.statusCallback);
    const outcome = await fetchWithRetry(fetcher, url, { method: 'POST', headers, body: form.toString() }, policy);
    if (outcome.kind === 'network') {
      return { status: 'failed', code: null, httpStatus: null, message: outcome.error, retryable: true };
    }
    return resultOf(outcome.response, outcome.attempts);
  }

  return { send };
}

