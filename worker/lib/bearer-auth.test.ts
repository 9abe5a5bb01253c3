import { describe, expect, it } from 'vitest';
import { bearerMatches, readBearerToken } from './bearer-auth';
import { sha256Hex } from './hmac';

describe('bearer auth', () => {
  it('reads only a well-formed Bearer header', () => {
    expect(readBearerToken('Bearer abc.def')).toBe('abc.def');
    expect(readBearerToken('bearer   abc ')).toBe('abc');
    expect(readBearerToken('Basic abc')).toBeUndefined();
    expect(readBearerToken('Bearer')).toBeUndefined();
    expect(readBearerToken('Bearer a b')).toBeUndefined();
    expect(readBearerToken(undefined)).toBeUndefined();
  });

  it('matches plain and hashed expectations exactly', async () => {
    expect(await bearerMatches('Bearer s3cret', 's3cret')).toBe(true);
    expect(await bearerMatches('Bearer s3cret', 's3cret2')).toBe(false);
    expect(await bearerMatches('Bearer s3cre', 's3cret')).toBe(false);
    const hash = await sha256Hex('nsc_token');
    expect(await bearerMatches('Bearer nsc_token', hash, { hashed: true })).toBe(true);
    expect(await bearerMatches('Bearer nsc_token', hash.toUpperCase(), { hashed: true })).toBe(true);
    expect(await bearerMatches(`Bearer ${hash}`, hash, { hashed: true })).toBe(false);
  });

  it('never opens for an unset or empty expected token', async () => {
    expect(await bearerMatches('Bearer ', '')).toBe(false);
    expect(await bearerMatches('Bearer x', undefined)).toBe(false);
    expect(await bearerMatches('Bearer x', null, { hashed: true })).toBe(false);
  });
});
