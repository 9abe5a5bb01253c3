import { z } from 'zod';
import { base64UrlDecode, base64UrlEncode } from '../lib/tokens';

/**
 * The one string the owner pastes into the plugin: the worker's URL, the store id and the one-time connect token.
 * `nsc1.` + base64url(JSON {"u","s","t"}): copy-paste safe (no spaces, no quotes), versioned by its prefix.
 */
export type ConnectCode = { workerUrl: string; storeId: string; connectToken: string };

const PREFIX = 'nsc1.';
const CodeJson = z.object({ u: z.url({ protocol: /^https?$/ }), s: z.string().min(1).max(64), t: z.string().min(20).max(200) });

export function encodeConnectCode(code: ConnectCode): string {
  const json = JSON.stringify({ u: code.workerUrl.replace(/\/+$/, ''), s: code.storeId, t: code.connectToken });
  return PREFIX + base64UrlEncode(new TextEncoder().encode(json));
}

export function decodeConnectCode(text: string): ConnectCode | undefined {
  const trimmed = text.trim();
  if (!trimmed.startsWith(PREFIX)) return undefined;
  const bytes = base64UrlDecode(trimmed.slice(PREFIX.length));
  if (!bytes) return undefined;
  try {
    const parsed = CodeJson.safeParse(JSON.parse(new TextDecoder().decode(bytes)));
    return parsed.success ? { workerUrl: parsed.data.u, storeId: parsed.data.s, connectToken: parsed.data.t } : undefined;
  } catch {
    return undefined;
  }
}
