import { z } from 'zod';
import { validationError } from '../../errors';
import { detectSmsKeyword, type SmsKeyword } from './sms-rules';
import { verifyTwilioSignature } from './sms-signature';

/** The fields we use from a Twilio-compatible inbound message webhook (form-encoded). */
export const InboundSms = z.object({
  MessageSid: z.string().min(1),
  AccountSid: z.string().min(1),
  From: z.string().min(1),
  To: z.string().min(1),
  Body: z.string().default(''),
});
export type InboundSms = z.infer<typeof InboundSms>;

export type InboundSmsCheck =
  | { ok: true; message: InboundSms; keyword: SmsKeyword | null }
  | { ok: false; reason: 'signature' };

/**
 * Verifies and reads an inbound SMS webhook. `publicUrl` is the URL the provider was configured
 * with (behind a proxy the request URL may differ), `rawBody` the form body exactly as received.
 * Throws a validation AppError (400) for a correctly signed but malformed form.
 */
export async function readInboundSms(authToken: string, publicUrl: string, rawBody: string, signature: string | undefined): Promise<InboundSmsCheck> {
  const form = new URLSearchParams(rawBody);
  if (!(await verifyTwilioSignature(authToken, publicUrl, form.entries(), signature))) return { ok: false, reason: 'signature' };
  const parsed = InboundSms.safeParse(Object.fromEntries(form));
  if (!parsed.success) throw validationError(parsed.error, 'form');
  return { ok: true, message: parsed.data, keyword: detectSmsKeyword(parsed.data.Body) };
}
