import { createLocalJWKSet, createRemoteJWKSet, jwtVerify, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';

/** The Cloudflare Access settings a deployment may set; Access sign-in is off unless both are. */
export type AccessVars = { CF_ACCESS_TEAM_DOMAIN?: string; CF_ACCESS_AUD?: string; CF_ACCESS_JWKS?: string };

export type AccessIdentity = { email: string | null; subject: string };

type Verifier = { issuer: string; audience: string; keys: JWTVerifyGetKey };

/** `myteam`, `myteam.cloudflareaccess.com` or its https URL: the issuer Access writes in its tokens. */
export function accessIssuer(teamDomain: string): string {
  const host = teamDomain.trim().replace(/^https?:\/\//i, '').replace(/\/+$/, '');
  return `https://${host.includes('.') ? host : `${host}.cloudflareaccess.com`}`;
}

// One key set per isolate and certs URL: jose caches the fetched keys and refetches on an unknown `kid`.
const remoteKeys = new Map<string, JWTVerifyGetKey>();

function keysFor(issuer: string, jwks: string | undefined): JWTVerifyGetKey {
  // A key set given inline replaces the fetch: tests sign with their own key, and workerd has no local certs server.
  if (jwks?.trim()) return createLocalJWKSet(JSON.parse(jwks) as JSONWebKeySet);
  const url = `${issuer}/cdn-cgi/access/certs`;
  let keys = remoteKeys.get(url);
  if (!keys) {
    keys = createRemoteJWKSet(new URL(url));
    remoteKeys.set(url, keys);
  }
  return keys;
}

function verifierOf(vars: AccessVars): Verifier | null {
  const team = vars.CF_ACCESS_TEAM_DOMAIN?.trim();
  const audience = vars.CF_ACCESS_AUD?.trim();
  if (!team || !audience) return null;
  const issuer = accessIssuer(team);
  return { issuer, audience, keys: keysFor(issuer, vars.CF_ACCESS_JWKS) };
}

export function accessEnabled(vars: AccessVars): boolean {
  return Boolean(vars.CF_ACCESS_TEAM_DOMAIN?.trim() && vars.CF_ACCESS_AUD?.trim());
}

/**
 * The identity in a `Cf-Access-Jwt-Assertion` header, or null: signature against the team's keys,
 * issuer, audience (the application's AUD tag) and expiry are all checked by jose. Any failure,
 * including an unreachable certs endpoint, refuses.
 */
export async function verifyAccessToken(vars: AccessVars, token: string | undefined, now = Date.now()): Promise<AccessIdentity | null> {
  const verifier = verifierOf(vars);
  if (!verifier || !token) return null;
  try {
    const { payload } = await jwtVerify(token, verifier.keys, {
      issuer: verifier.issuer,
      audience: verifier.audience,
      algorithms: ['RS256'],
      currentDate: new Date(now),
    });
    // A service token (scripts) carries its client id as `common_name` and an empty `sub`.
    const subject = payload.sub || (typeof payload.common_name === 'string' ? payload.common_name : '');
    if (!subject) return null;
    return { subject, email: typeof payload.email === 'string' ? payload.email : null };
  } catch {
    return null;
  }
}
