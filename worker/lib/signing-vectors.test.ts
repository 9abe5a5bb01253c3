import { describe, expect, it } from 'vitest';
import vectors from '../../plugin-bridge/tests/fixtures/signing-vectors.json';
import { verifyCartToken, signCartToken, type CartTokenItem } from './cart-token';
import { signNightshift, verifyNightshiftSignature } from './hmac';
import { signIdentityToken, verifyIdentityToken } from './identity-token';

// The PHPUnit suite (plugin-bridge/tests/SigningVectorsTest.php) checks the plugin against the same file.
const { secret, signature, identityToken, cartToken } = vectors;
const cartItems = cartToken.items as CartTokenItem[];

describe('shared signing vectors (plugin bridge ⇄ worker)', () => {
  it('the batch body is the compact JSON the plugin sends', () => {
    expect(JSON.stringify(signature.batch)).toBe(signature.body);
  });

  it('signs the server event body to the exact header bytes', async () => {
    expect(await signNightshift(secret, signature.body, signature.timestamp)).toBe(signature.header);
  });

  it('verifies the header the plugin produces, and rejects a single changed byte', async () => {
    const t = signature.timestamp;
    expect(await verifyNightshiftSignature(secret, signature.body, signature.header, t + 10)).toBe('ok');
    const tampered = signature.body.replace('"quantity":2', '"quantity":3');
    expect(await verifyNightshiftSignature(secret, tampered, signature.header, t)).toBe('mismatch');
  });

  it('agrees on the identity token', async () => {
    const { wooCustomerId, expiresAt, token } = identityToken;
    expect(await signIdentityToken(secret, wooCustomerId, expiresAt)).toBe(token);
    expect(await verifyIdentityToken(secret, token, expiresAt - 1)).toEqual({ ok: true, wooCustomerId, expiresAt });
    expect(await verifyIdentityToken(secret, token, expiresAt)).toEqual({ ok: false, reason: 'expired' });
    expect(await verifyIdentityToken('another secret', token, expiresAt - 1)).toEqual({ ok: false, reason: 'mismatch' });
    expect(await verifyIdentityToken(secret, `8${token.slice(1)}`, expiresAt - 1)).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('agrees on the cart restore token', async () => {
    const payload = { storeId: cartToken.storeId, visitorId: cartToken.visitorId, items: cartItems, expiresAt: cartToken.expiresAt };
    expect(await signCartToken(secret, payload)).toBe(cartToken.token);
    expect(await verifyCartToken(secret, cartToken.token, cartToken.storeId, cartToken.expiresAt - 1)).toEqual({ ok: true, payload });
  });
});
