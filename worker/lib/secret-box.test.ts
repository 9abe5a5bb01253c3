import { describe, expect, it } from 'vitest';
import { keyringOf, needsReseal, openSecret, sealSecret, SecretsKeyError } from './secret-box';

const KEY_A = btoa(String.fromCharCode(...new Uint8Array(32).fill(7)));
const KEY_B = btoa(String.fromCharCode(...new Uint8Array(32).fill(9)));

describe('secrets sealed at rest (AES-GCM)', () => {
  it('round-trips, with a fresh IV each time and the key id in the format', async () => {
    const ring = await keyringOf(KEY_A);
    const a = await sealSecret('whsec_round_trip', 'stores.webhookSecret:s1', ring);
    const b = await sealSecret('whsec_round_trip', 'stores.webhookSecret:s1', ring);
    expect(a).toMatch(new RegExp(`^enc:v1:${ring.current?.id}:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+$`));
    expect(a).not.toBe(b);
    expect(a).not.toContain('whsec');
    expect(await openSecret(a, 'stores.webhookSecret:s1', ring)).toBe('whsec_round_trip');
  });

  it('fails closed with a clear error under the wrong key, another context, or altered bytes', async () => {
    const sealed = await sealSecret('tok', 'store_settings.smsAuthToken:s1', await keyringOf(KEY_A));
    const wrong = await keyringOf(KEY_B);
    await expect(openSecret(sealed, 'store_settings.smsAuthToken:s1', wrong)).rejects.toThrow(SecretsKeyError);
    await expect(openSecret(sealed, 'store_settings.smsAuthToken:s1', wrong)).rejects.toThrow(/is sealed under key [0-9a-f]{8}, which is neither SECRETS_KEY \([0-9a-f]{8}\) nor SECRETS_KEY_PREVIOUS \(not set\)/);
    const ring = await keyringOf(KEY_A);
    await expect(openSecret(sealed, 'store_settings.smsAuthToken:s2', ring)).rejects.toThrow(/does not open under key/);
    const tampered = sealed.slice(0, -2) + (sealed.endsWith('A') ? 'BB' : 'AA');
    await expect(openSecret(tampered, 'store_settings.smsAuthToken:s1', ring)).rejects.toThrow(SecretsKeyError);
    await expect(sealSecret('x', 'c', await keyringOf(undefined))).rejects.toThrow(/SECRETS_KEY is not set/);
    await expect(keyringOf('c2hvcnQ=')).rejects.toThrow(/must hold 32 bytes/);
  });

  it('opens a value once per keyring; a ring without its key still fails closed on it', async () => {
    const sealed = await sealSecret('whsec_cached', 'stores.webhookSecret:s9', await keyringOf(KEY_A));
    const ring = await keyringOf(KEY_A);
    expect(await openSecret(sealed, 'stores.webhookSecret:s9', ring)).toBe('whsec_cached');
    expect(await openSecret(sealed, 'stores.webhookSecret:s9', ring)).toBe('whsec_cached');
    await expect(openSecret(sealed, 'stores.webhookSecret:s9', await keyringOf(KEY_B))).rejects.toThrow(SecretsKeyError);
    // The context is part of what was opened: the same text under another store's context does not open.
    await expect(openSecret(sealed, 'stores.webhookSecret:s10', ring)).rejects.toThrow(/does not open under key/);
  });

  it('opens values of the previous key after a rotation, and says which need resealing', async () => {
    const old = await keyringOf(KEY_A);
    const sealed = await sealSecret('pm-token', 'c', old);
    const rotated = await keyringOf(KEY_B, KEY_A);
    expect(await openSecret(sealed, 'c', rotated)).toBe('pm-token');
    expect(needsReseal(sealed, rotated)).toBe(true);
    expect(needsReseal(await sealSecret('pm-token', 'c', rotated), rotated)).toBe(false);
    expect(needsReseal('clear-legacy-value', rotated)).toBe(true);
    // A row from before encryption still reads.
    expect(await openSecret('clear-legacy-value', 'c', rotated)).toBe('clear-legacy-value');
  });
});
