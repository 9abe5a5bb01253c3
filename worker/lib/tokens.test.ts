import { describe, expect, it } from 'vitest';
import { base64UrlDecode, base64UrlEncode, importTokenKey, signToken, verifyToken } from './tokens';

describe('signed tokens', () => {
  it('round-trips UTF-8 payloads and stays URL-safe', async () => {
    const key = await importTokenKey('a-long-link-signing-secret');
    const token = await signToken(key, 'x', '{"name":"Zoë ✓"}');
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
    expect(await verifyToken(key, 'x', token)).toBe('{"name":"Zoë ✓"}');
  });

  it('rejects another purpose, another key, edited payloads and garbage', async () => {
    const key = await importTokenKey('a-long-link-signing-secret');
    const other = await importTokenKey('another-long-signing-secret');
    const token = await signToken(key, 'u', '["s1","c1",null]');
    const [body = '', mac = ''] = token.split('.');
    expect(await verifyToken(key, 'c', token)).toBeNull();
    expect(await verifyToken(other, 'u', token)).toBeNull();
    const edited = base64UrlEncode(new TextEncoder().encode('["s1","c2",null]'));
    expect(await verifyToken(key, 'u', `${edited}.${mac}`)).toBeNull();
    expect(await verifyToken(key, 'u', `${body}.${mac.slice(0, -2)}AA`)).toBeNull();
    for (const junk of ['', '.', 'abc', `${body}.${mac}.x`, `${body}.!!!`, `a.${mac}`]) {
      expect(await verifyToken(key, 'u', junk)).toBeNull();
    }
    expect(base64UrlDecode('a')).toBeNull();
  });

  it('refuses a short secret', async () => {
    await expect(importTokenKey('short')).rejects.toThrow();
  });
});
