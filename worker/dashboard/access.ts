import { db } from '../db/client';
import { storeAdminSession } from '../db/queries/admin-sessions';
import { verifyAccessToken } from '../lib/cf-access';
import { issueSession, sessionIdHash, type Session } from './session';

/**
 * Cloudflare Access sign-in for the dashboard: a request Access let through (its
 * `Cf-Access-Jwt-Assertion` verified against the team's keys) gets an ordinary dashboard session,
 * held server-side like a token login, so logout, CSRF and expiry work the same. Sessions are still
 * signed with ADMIN_TOKEN: without it nothing is issued.
 */
export async function accessSignIn(env: Env, token: string | undefined, now: number): Promise<{ cookie: string; session: Session } | null> {
  if (!env.ADMIN_TOKEN || !token) return null;
  if (!(await verifyAccessToken(env, token, now))) return null;
  const issued = await issueSession(env.ADMIN_TOKEN, now);
  await storeAdminSession(db(env.DB), await sessionIdHash(issued.session), now, issued.session.expiresAt);
  return issued;
}
