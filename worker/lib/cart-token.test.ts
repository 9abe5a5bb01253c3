import { describe, expect, it } from 'vitest';
import { base64UrlEncode } from './tokens';
import { hmacSha256 } from './hmac';
import { signCartToken, verifyCartToken } from './cart-token';

const secret = 'cart-token-test-secret-0123456789';
const payload = { storeId: 'cart-shop', visitorId: 'v_cart_visitor', items: [[10, 0, 1], [11, 12, 3]] as [number, number, number][], expiresAt: 2_000 };

async function forge(json: string): Promise<string> {
  const body = base64UrlEncode(new TextEncoder().encode(json));
  return `${body}.${base64UrlEncode(await hmacSha256(secret, body))}`;
}

describe('cart restore token', () => {
  it('round-trips and uses unpadded base64url', async () => {
    const token = await signCartToken(secret, payload);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(await verifyCartToken(secret, token, 'cart-shop', 1_999)).toEqual({ ok: true, payload });
  });

  it('rejects expiry, another store, another secret and tampering', async () => {
    const token = await signCartToken(secret, payload);
    expect(await verifyCartToken(secret, token, 'cart-shop', 2_000)).toEqual({ ok: false, reason: 'expired' });
    expect(await verifyCartToken(secret, token, 'other-shop', 1_000)).toEqual({ ok: false, reason: 'wrong_store' });
    expect(await verifyCartToken('another-secret-0123456789', token, 'cart-shop', 1_000)).toEqual({ ok: false, reason: 'mismatch' });
    const [body, mac] = token.split('.');
    expect(await verifyCartToken(secret, `${body}A.${mac}`, 'cart-shop', 1_000)).toEqual({ ok: false, reason: 'mismatch' });
    expect(await verifyCartToken(secret, `${token}.x`, 'cart-shop', 1_000)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('rejects well-signed payloads of the wrong shape', async () => {
    const bad = [
      '{"s":"cart-shop","v":"v_x","i":[[0,0,1]],"e":5000}',
      '{"s":"cart-shop","v":"v_x","i":[[1,0,0]],"e":5000}',
      '{"s":"cart-shop","v":"v_x","i":[[1,0]],"e":5000}',
      '{"s":"cart-shop","v":"v_x","i":[[1,0,1]],"e":"5000"}',
      'not json',
    ];
    for (const json of bad) {
      expect(await verifyCartToken(secret, await forge(json), 'cart-shop', 1_000)).toEqual({ ok: false, reason: 'malformed' });
    }
  });
});
