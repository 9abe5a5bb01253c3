/**
 * Merge data reaches emails as text: an item name, a first name, a coupon code. Only the template decides where a
 * link goes (its own text, and the fields that are URLs by type: `url`, `restore_url`…, checked by the schema), so
 * a URL written inside free text is defanged before rendering: the click tracker never signs it into a `/c/`
 * redirect, and mail clients do not turn it into a link ("https://evil.example/x" → "hxxps://evil[.]example/x").
 */
const URL_KEYS = new Set(['url', 'image_url', 'logo_url', 'restore_url', 'reorder_url']);
/** Objects whose every value is a URL the worker itself minted (signed footer links). */
const URL_OBJECTS = new Set(['links']);

const SCHEME_URL = /\b(h)(ttps?):\/\/([^\s/?#<>"']*)/gi;
const WWW_HOST = /\b(www)\.([^\s/?#<>"']+)/gi;

export function defangUrls(text: string): string {
  return text
    .replace(SCHEME_URL, (_, h: string, rest: string, host: string) => `${h}xx${rest.slice(2)}://${host.replace(/\./g, '[.]')}`)
    .replace(WWW_HOST, (_, www: string, host: string) => `${www}[.]${host.replace(/\./g, '[.]')}`);
}

/** A copy of the template data in which every free-text string has its URLs defanged. */
export function defangDataUrls<T>(data: T): T {
  return walk(data, false) as T;
}

function walk(value: unknown, isUrl: boolean): unknown {
  if (typeof value === 'string') return isUrl ? value : defangUrls(value);
  if (Array.isArray(value)) return value.map((v) => walk(v, false));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = URL_OBJECTS.has(key) ? v : walk(v, URL_KEYS.has(key));
  }
  return out;
}
