import { hmacSha256, secretList, timingSafeEqualText, toHex, type Secrets } from './hmac';

export type IdentityTokenCheck =
  | { ok: true; wooCustomerId: number; expiresAt: number }
  | { ok: false; reason: 'malformed' | 'mismatch' | 'expired' };

/**
 * Identity token the plugin bridge prints for a logged-in customer, so the page never carries a
 * raw email: "<wooCustomerId>.<expUnixSeconds>.<hex HMAC-SHA256(secret, "nsid.<id>.<exp>")>".
 */
export async function signIdentityToken(secret: string, wooCustomerId: number, expiresAt: number): Promise<string> {
  const mac = toHex(await hmacSha256(secret, `nsid.${wooCustomerId}.${expiresAt}`));
  return `${wooCustomerId}.${expiresAt}.${mac}`;
}

export async function verifyIdentityToken(secrets: Secrets, token: string, nowSeconds: number): Promise<IdentityTokenCheck> {
  const match = /^([1-9][0-9]{0,15})\.([0-9]{1,12})\.([0-9a-f]{64})$/.exec(token);
  if (!match) return { ok: false, reason: 'malformed' };
  const [, id = '', exp = '', mac = ''] = match;
  let matched = false;
  for (const secret of secretList(secrets)) matched ||= timingSafeEqualText(toHex(await hmacSha256(secret, `nsid.${id}.${exp}`)), mac);
  if (!matched) return { ok: false, reason: 'mismatch' };
  const expiresAt = Number(exp);
  if (expiresAt <= nowSeconds) return { ok: false, reason: 'expired' };
  return { ok: true, wooCustomerId: Number(id), expiresAt };
}
