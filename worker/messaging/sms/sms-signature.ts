import { toBase64, timingSafeEqualText } from '../../lib/hmac';

const encoder = new TextEncoder();

export const TWILIO_SIGNATURE_HEADER = 'X-Twilio-Signature';

/** Params in signing order: by name, then by value for repeated names (plain code-unit order, as Twilio does). */
function sortedPairs(params: Iterable<[string, string]>): [string, string][] {
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...params].sort((a, b) => cmp(a[0], b[0]) || cmp(a[1], b[1]));
}

/**
 * Twilio's request signature: base64(HMAC-SHA1(auth token, full URL + each POST param's name and
 * value concatenated in sorted order)). `url` must be the public URL Twilio called, query included.
 */
export async function twilioSignature(authToken: string, url: string, params: Iterable<[string, string]>): Promise<string> {
  let data = url;
  for (const [name, value] of sortedPairs(params)) data += name + value;
  const key = await crypto.subtle.importKey('raw', encoder.encode(authToken), { name: 'HMAC', hash: 'SHA-1' }, false, ['sign']);
  return toBase64(new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(data))));
}

export async function verifyTwilioSignature(
  authToken: string,
  url: string,
  params: Iterable<[string, string]>,
  header: string | undefined,
): Promise<boolean> {
  if (!header) return false;
  return timingSafeEqualText(await twilioSignature(authToken, url, params), header.trim());
}
