import { describe, expect, it } from 'vitest';
import { base64UrlEncode, importTokenKey, signToken } from '../../lib/tokens';
import {
  clickUrl,
  preferenceUrl,
  readClickToken,
  readOpenToken,
  readPreferenceToken,
  readUnsubscribeToken,
  trackEmail,
  unsubscribeUrl,
} from './links';

const BASE = 'https://ns.example.com';
const signing = async () => ({ baseUrl: `${BASE}/`, key: await importTokenKey('a-long-link-signing-secret') });
const tokenOf = (url: string, kind: string) => {
  const m = new RegExp(`^${BASE}/${kind}/([A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+)$`).exec(url);
  if (!m?.[1]) throw new Error(`not a ${kind} link: ${url}`);
  return m[1];
};

describe('email link tracking', () => {
  const html = `<html><body><p>Hi</p>
<a href="https://shop.example.com/cart?restore=abc&amp;utm=1">Your cart</a>
<a class="btn" href='https://shop.example.com/p/42'>Product</a>
<a href="https://shop.example.com/cart?restore=abc&amp;utm=1">Again</a>
<a href="mailto:help@shop.example.com">Mail us</a>
<a href="${BASE}/u/keep-me">Unsubscribe</a>
</body></html>`;
  const text = 'Your cart: https://shop.example.com/cart?restore=abc&utm=1\nNew: https://shop.example.com/new.\nStop: https://ns.example.com/p/keep';

  it('rewrites every http(s) link through a signed click token, one index per URL', async () => {
    const s = await signing();
    const out = await trackEmail(s, 'snd_1', { html, text }, false);
    expect(out.links).toEqual(['https://shop.example.com/cart?restore=abc&utm=1', 'https://shop.example.com/p/42', 'https://shop.example.com/new']);
    const hrefs = [...out.html.matchAll(/href=(["'])([^"']+)\1/g)].map((m) => m[2] ?? '');
    expect(hrefs[3]).toBe('mailto:help@shop.example.com');
    expect(hrefs[4]).toBe(`${BASE}/u/keep-me`);
    expect(hrefs[0]).toBe(hrefs[2]);
    expect(await readClickToken(s.key, tokenOf(hrefs[0] ?? '', 'c'))).toEqual({ sendId: 'snd_1', index: 0, url: out.links[0] });
    expect(await readClickToken(s.key, tokenOf(hrefs[1] ?? '', 'c'))).toEqual({ sendId: 'snd_1', index: 1, url: 'https://shop.example.com/p/42' });
    expect(out.html).not.toContain('/o/');
    const textLines = out.text.split('\n');
    expect(textLines[0]).toBe(`Your cart: ${hrefs[0]}`);
    expect(textLines[1]).toMatch(/^New: https:\/\/ns\.example\.com\/c\/[^.]+\.[^.]+\.$/);
    expect(await readClickToken(s.key, tokenOf(textLines[1]?.slice(5, -1) ?? '', 'c'))).toMatchObject({ index: 2, url: 'https://shop.example.com/new' });
    expect(textLines[2]).toBe('Stop: https://ns.example.com/p/keep');
  });

  it('adds the open pixel before </body> only when consent allows tracking', async () => {
    const s = await signing();
    const out = await trackEmail(s, 'snd_2', { html, text }, true);
    const pixel = /<img src="([^"]+)" width="1" height="1"[^>]*><\/body>/.exec(out.html);
    expect(pixel?.[1]).toBeDefined();
    expect(await readOpenToken(s.key, tokenOf(pixel?.[1] ?? '', 'o'))).toEqual({ sendId: 'snd_2' });
  });

  it('rejects a forged redirect: a click token whose target was swapped', async () => {
    const s = await signing();
    const good = tokenOf(await clickUrl(s, 'snd_1', 0, 'https://shop.example.com/'), 'c');
    const [, mac] = good.split('.');
    const evil = base64UrlEncode(new TextEncoder().encode('["snd_1",0,"https://evil.example.net/"]'));
    expect(await readClickToken(s.key, `${evil}.${mac}`)).toBeNull();
    const self = await signToken(s.key, 'c', '["snd_1",0,"javascript:alert(1)"]');
    expect(await readClickToken(s.key, self)).toBeNull();
  });

  it('mints unsubscribe and preference links that only their own route accepts', async () => {
    const s = await signing();
    const ref = { storeId: 'st_1', contactId: 'ct_1', sendId: 'snd_1' };
    const u = tokenOf(await unsubscribeUrl(s, ref), 'u');
    const p = tokenOf(await preferenceUrl(s, ref, { key: 'frequency', value: 'monthly' }), 'p');
    expect(await readUnsubscribeToken(s.key, u)).toEqual(ref);
    expect(await readPreferenceToken(s.key, p)).toEqual({ ...ref, choice: { key: 'frequency', value: 'monthly' } });
    expect(await readPreferenceToken(s.key, u)).toBeNull();
    expect(await readUnsubscribeToken(s.key, p)).toBeNull();
    const centre = tokenOf(await preferenceUrl(s, { ...ref, sendId: null }), 'p');
    expect(await readPreferenceToken(s.key, centre)).toEqual({ ...ref, sendId: null, choice: null });
  });
});
