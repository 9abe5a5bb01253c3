import { createPostmarkClient, type EmailSendResult, type OutgoingEmail, type PostmarkClient, type PostmarkClientOptions } from './email/postmark-client';
import { createSmsClient, type OutgoingSms, type SmsClient, type SmsClientOptions, type SmsSendResult } from './sms/sms-client';
import type { FetchLike, RetryPolicy } from './retry';

/**
 * Where a rendered message goes. With no provider configured the outbox channel hands nothing
 * out: the fully rendered message is already stored by `deliverEmail`/`deliverSms`, and its
 * status says it is waiting in the outbox (the dev default, visible in the dashboard).
 */
export type RenderedEmail = OutgoingEmail;
export type EmailChannelResult = EmailSendResult | { status: 'outbox'; sendId: string };
export type SmsChannelResult = SmsSendResult | { status: 'outbox' };

export interface EmailChannel {
  readonly name: 'postmark' | 'outbox';
  send(email: RenderedEmail): Promise<EmailChannelResult>;
  sendMany(emails: RenderedEmail[]): Promise<EmailChannelResult[]>;
}

export interface SmsChannel {
  readonly name: 'twilio' | 'outbox';
  send(sms: OutgoingSms): Promise<SmsChannelResult>;
}

export class PostmarkChannel implements EmailChannel {
  readonly name = 'postmark';
  private readonly client: PostmarkClient;
  constructor(options: PostmarkClientOptions) {
    this.client = createPostmarkClient(options);
  }
  send(email: RenderedEmail): Promise<EmailChannelResult> {
    return this.client.send(email);
  }
  sendMany(emails: RenderedEmail[]): Promise<EmailChannelResult[]> {
    return this.client.sendBatch(emails);
  }
}

export class OutboxChannel implements EmailChannel {
  readonly name = 'outbox';
  async send(email: RenderedEmail): Promise<EmailChannelResult> {
    return { status: 'outbox', sendId: email.sendId };
  }
  async sendMany(emails: RenderedEmail[]): Promise<EmailChannelResult[]> {
    return emails.map((e) => ({ status: 'outbox', sendId: e.sendId }));
  }
}

export class TwilioSmsChannel implements SmsChannel {
  readonly name = 'twilio';
  private readonly client: SmsClient;
  constructor(options: SmsClientOptions & { fetch?: FetchLike; retry?: Partial<RetryPolicy> }) {
    this.client = createSmsClient(options);
  }
  send(sms: OutgoingSms): Promise<SmsChannelResult> {
    return this.client.send(sms);
  }
}

export class OutboxSmsChannel implements SmsChannel {
  readonly name = 'outbox';
  async send(): Promise<SmsChannelResult> {
    return { status: 'outbox' };
  }
}

export type ProviderConfig = {
  postmarkServerToken?: string;
  postmarkBaseUrl?: string;
  postmarkMessageStream?: string;
  smsAccountSid?: string;
  smsAuthToken?: string;
  smsFrom?: string;
  smsMessagingServiceSid?: string;
  smsBaseUrl?: string;
  fetch?: FetchLike;
  retry?: Partial<RetryPolicy>;
};

/** Postmark when a server token is configured, otherwise the outbox. */
export function selectEmailChannel(c: ProviderConfig): EmailChannel {
  if (!c.postmarkServerToken) return new OutboxChannel();
  return new PostmarkChannel({
    serverToken: c.postmarkServerToken,
    ...(c.postmarkBaseUrl ? { baseUrl: c.postmarkBaseUrl } : {}),
    ...(c.postmarkMessageStream ? { messageStream: c.postmarkMessageStream } : {}),
    ...(c.fetch ? { fetch: c.fetch } : {}),
    ...(c.retry ? { retry: c.retry } : {}),
  });
}

/** The SMS provider when its credentials and a sender are configured, otherwise the outbox. */
export function selectSmsChannel(c: ProviderConfig): SmsChannel {
  if (!c.smsAccountSid || !c.smsAuthToken || !(c.smsFrom || c.smsMessagingServiceSid)) return new OutboxSmsChannel();
  return new TwilioSmsChannel({
    accountSid: c.smsAccountSid,
    authToken: c.smsAuthToken,
    ...(c.smsFrom ? { from: c.smsFrom } : {}),
    ...(c.smsMessagingServiceSid ? { messagingServiceSid: c.smsMessagingServiceSid } : {}),
    ...(c.smsBaseUrl ? { baseUrl: c.smsBaseUrl } : {}),
    ...(c.fetch ? { fetch: c.fetch } : {}),
    ...(c.retry ? { retry: c.retry } : {}),
  });
}
