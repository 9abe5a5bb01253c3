import { z } from 'zod';
import { signToken, verifyToken } from '../../lib/tokens';

/**
 * Signed links embedded in emails. Every token names its purpose (c, o, u, p) inside the MAC, so
 * a click token cannot be replayed as an unsubscribe, and carries what its route needs without a
 * lookup: the click target travels inside the token, so a forged or edited redirect is rejected.
 */
export type LinkSigning = { baseUrl: string; key: CryptoKey };
export type ContactRef = { storeId: string; contactId: string; sendId: string | null };
export type PreferenceChoice = { key: string; value: string };

const ClickPayload = z.tuple([z.string(), z.number().int().nonnegative(), z.url({ protocol: /^https?$/ })]);
const OpenPayload = z.tuple([z.string()]);
const ContactPayload = z.tuple([z.string(), z.string(), z.string().nullable()]);
const PreferencePayload = z.tuple([z.string(), z.string(), z.string().nullable(), z.tuple([z.string(), z.string()]).nullable()]);

export type ClickToken = { sendId: string; index: number; url: string };
export type PreferenceToken = ContactRef & { choice: PreferenceChoice | null };

const base = (s: LinkSigning) => s.baseUrl.replace(/\/+$/, '');
const sign = (s: LinkSigning, purpose: string, payload: unknown) => signToken(s.key, purpose, JSON.stringify(payload));

async function read<T extends z.ZodType>(key: CryptoKey, purpose: string, token: string, schema: T): Promise<z.infer<T> | null> {
  const payload = await verifyToken(key, purpose, token);
  if (payload === null) return null;
  try {
    const parsed = schema.safeParse(JSON.parse(payload));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export async function clickUrl(s: LinkSigning, sendId: string, index: number, url: string): Promise<string> {
  return `${base(s)}/c/${await sign(s, 'c', [sendId, index, url])}`;
}

export async function openPixelUrl(s: LinkSigning, sendId: string): Promise<string> {
  return `${base(s)}/o/${await sign(s, 'o', [sendId])}`;
}

export async function unsubscribeUrl(s: LinkSigning, ref: ContactRef): Promise<string> {
  return `${base(s)}/u/${await sign(s, 'u', [ref.storeId, ref.contactId, ref.sendId])}`;
}

/** The preference centre, or with `choice` a one-click answer to a preference question. */
export async function preferenceUrl(s: LinkSigning, ref: ContactRef, choice?: PreferenceChoice): Promise<string> {
  const c = choice ? [choice.key, choice.value] : null;
  return `${base(s)}/p/${await sign(s, 'p', [ref.storeId, ref.contactId, ref.sendId, c])}`;
}

export async function readClickToken(key: CryptoKey, token: string): Promise<ClickToken | null> {
  const p = await read(key, 'c', token, ClickPayload);
  return p && { sendId: p[0], index: p[1], url: p[2] };
}

export async function readOpenToken(key: CryptoKey, token: string): Promise<{ sendId: string } | null> {
  const p = await read(key, 'o', token, OpenPayload);
  return p && { sendId: p[0] };
}

export async function readUnsubscribeToken(key: CryptoKey, token: string): Promise<ContactRef | null> {
  const p = await read(key, 'u', token, ContactPayload);
  return p && { storeId: p[0], contactId: p[1], sendId: p[2] };
}

export async function readPreferenceToken(key: CryptoKey, token: string): Promise<PreferenceToken | null> {
  const p = await read(key, 'p', token, PreferencePayload);
  return p && { storeId: p[0], contactId: p[1], sendId: p[2], choice: p[3] && { key: p[3][0], value: p[3][1] } };
}

const ENTITIES: Record<string, string> = { amp: '&', quot: '"', apos: "'", lt: '<', gt: '>', '#39': "'", '#38': '&', '#x26': '&' };
function decodeAttribute(value: string): string {
  return value.replace(/&(amp|quot|apos|lt|gt|#39|#38|#x26);/gi, (_, name: string) => ENTITIES[name.toLowerCase()] ?? '');
}

const ANCHOR_HREF = /(<a\b[^>]*?\bhref\s*=\s*)(["'])(https?:\/\/[^"']+)\2/gi;
const TEXT_URL = /https?:\/\/[^\s<>"'()[\]]+/g;

export type TrackedEmail = { html: string; text: string; links: string[] };

/**
 * Rewrites every http(s) link of both parts through `/c/` (one index per distinct URL, shared by
 * the HTML and text parts) and adds the open pixel only when `trackOpens` is true (consent). These are
 * the template's own links: URLs inside merge data are defanged before rendering (`data-urls.ts`).
 * Our own unsubscribe and preference links stay direct: they must work without a redirect.
 */
export async function trackEmail(
  s: LinkSigning,
  sendId: string,
  email: { html: string; text: string },
  trackOpens: boolean,
): Promise<TrackedEmail> {
  const links: string[] = [];
  const own = new RegExp(`^${base(s).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/(u|p)/`);
  const tokens = new Map<string, string>();
  async function rewrite(url: string): Promise<string> {
    if (own.test(url)) return url;
    let tracked = tokens.get(url);
    if (!tracked) {
      links.push(url);
      tracked = await clickUrl(s, sendId, links.length - 1, url);
      tokens.set(url, tracked);
    }
    return tracked;
  }
  let html = '';
  let last = 0;
  for (const m of email.html.matchAll(ANCHOR_HREF)) {
    const [whole, prefix = '', quote = '"', raw = ''] = m;
    const url = decodeAttribute(raw);
    const target = await rewrite(url);
    html += email.html.slice(last, m.index) + (target === url ? whole : `${prefix}${quote}${target}${quote}`);
    last = m.index + whole.length;
  }
  html += email.html.slice(last);
  let text = '';
  last = 0;
  for (const m of email.text.matchAll(TEXT_URL)) {
    // Sentence punctuation right after a URL in prose belongs to the sentence, not the link.
    const url = m[0].replace(/[.,;:!?]+$/, '');
    text += email.text.slice(last, m.index) + (await rewrite(url));
    last = m.index + url.length;
  }
  text += email.text.slice(last);
  if (trackOpens) html = addPixel(html, await openPixelUrl(s, sendId));
  return { html, text, links };
}

function addPixel(html: string, src: string): string {
  const pixel = `<img src="${src}" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0">`;
  const at = html.toLowerCase().lastIndexOf('</body>');
  return at === -1 ? html + pixel : html.slice(0, at) + pixel + html.slice(at);
}
