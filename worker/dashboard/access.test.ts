import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey as JoseKey } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import worker from '../index';
import { accessIssuer, verifyAccessToken } from '../lib/cf-access';
import { seedDashboardStore } from '../test/dashboard-session';

const TEAM = 'nightshift-test.cloudflareaccess.com';
const ISSUER = `https://${TEAM}`;
const AUD = 'aud-tag-0123456789abcdef';

let key: JoseKey;
let stranger: JoseKey;
let accessEnv: Env;

/**
 * workerd in vitest cannot reach a certs server, so the team's public keys are given inline
 * (CF_ACCESS_JWKS, read with jose's createLocalJWKSet); production fetches
 * https://<team>/cdn-cgi/access/certs with createRemoteJWKSet.
 */
beforeAll(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true });
  key = pair.privateKey;
  stranger = (await generateKeyPair('RS256')).privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'access-test-1', alg: 'RS256', use: 'sig' };
  accessEnv = { ...env, CF_ACCESS_TEAM_DOMAIN: TEAM, CF_ACCESS_AUD: AUD, CF_ACCESS_JWKS: JSON.stringify({ keys: [jwk] }) };
});

type Claims = { iss?: string; aud?: string; exp?: number; signer?: JoseKey; sub?: string };

async function token(o: Claims = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ email: 'owner@braise.example', type: 'app' })
    .setProtectedHeader({ alg: 'RS256', kid: 'access-test-1' })
    .setIssuer(o.iss ?? ISSUER)
    .setAudience(o.aud ?? AUD)
    .setSubject(o.sub ?? 'user-7f3a')
    .setIssuedAt(now - 60)
    .setExpirationTime(o.exp ?? now + 3600)
    .sign(o.signer ?? key);
}

async function call(path: string, headers: Record<string, string>, e: Env = accessEnv): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`https://ns.test${path}`, { headers, redirect: 'manual' }), e, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

const refusals: [string, () => Promise<string>][] = [
  ['expired', () => token({ exp: Math.floor(Date.now() / 1000) - 120 })],
  ['for another application (aud)', () => token({ aud: 'some-other-app' })],
  ['from another team (iss)', () => token({ iss: 'https://evil.cloudflareaccess.com' })],
  ['signed with another key', () => token({ signer: stranger })],
];

describe('Cloudflare Access sign-in', () => {
  it('reads the team as a name, a host or a URL', () => {
    expect(accessIssuer('nightshift-test')).toBe(ISSUER);
    expect(accessIssuer(TEAM)).toBe(ISSUER);
    expect(accessIssuer(`${ISSUER}/`)).toBe(ISSUER);
  });

  it('verifies a valid token and names who it is; off when the vars are unset', async () => {
    const jwt = await token();
    expect(await verifyAccessToken(accessEnv, jwt)).toEqual({ subject: 'user-7f3a', email: 'owner@braise.example' });
    expect(await verifyAccessToken(env, jwt)).toBeNull();
    expect(await verifyAccessToken({ ...accessEnv, CF_ACCESS_AUD: '' }, jwt)).toBeNull();
  });

  for (const [what, make] of refusals) {
    it(`refuses a token ${what}, on the API and the dashboard`, async () => {
      const jwt = await make();
      expect(await verifyAccessToken(accessEnv, jwt)).toBeNull();
      expect((await call('/api/stores/acc-store', { 'Cf-Access-Jwt-Assertion': jwt })).status).toBe(401);
      const page = await call('/admin/stores', { 'Cf-Access-Jwt-Assertion': jwt });
      expect(page.status).toBe(303);
      expect(page.headers.get('Location')).toBe('/admin/login?next=%2Fadmin%2Fstores');
      expect(page.headers.getSetCookie().some((c) => c.startsWith('ns_admin='))).toBe(false);
    });
  }

  it('opens the API to a valid token, and the Bearer token still works beside it', async () => {
    await seedDashboardStore('acc-store');
    expect((await call('/api/stores/acc-store', { 'Cf-Access-Jwt-Assertion': await token() })).status).toBe(200);
    expect((await call('/api/stores/acc-store', { Authorization: `Bearer ${env.ADMIN_TOKEN}` })).status).toBe(200);
    expect((await call('/api/stores/acc-store', {})).status).toBe(401);
    // Without the vars the header is ignored.
    expect((await call('/api/stores/acc-store', { 'Cf-Access-Jwt-Assertion': await token() }, env)).status).toBe(401);
  });

  it('signs a valid token into the dashboard with a session that then works on its own and logs out', async () => {
    await seedDashboardStore('acc-store');
    const first = await call('/admin/stores', { 'Cf-Access-Jwt-Assertion': await token() });
    expect(first.status).toBe(200);
    expect(await first.text()).toContain('acc-store');
    const cookie = first.headers.getSetCookie().find((c) => c.startsWith('ns_admin='))?.split(';')[0] ?? '';
    expect(cookie).toMatch(/^ns_admin=v1\./);
    const again = await call('/admin/stores', { Cookie: cookie });
    expect(again.status).toBe(200);
    const html = await again.text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
    const ctx = createExecutionContext();
    const logout = await worker.fetch(
      new Request('https://ns.test/admin/logout', { method: 'POST', headers: { Cookie: cookie, Origin: 'https://ns.test' }, body: new URLSearchParams({ _csrf: csrf }), redirect: 'manual' }),
      accessEnv,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(logout.status).toBe(303);
    expect((await call('/admin/stores', { Cookie: cookie })).status).toBe(303);
  });
});
