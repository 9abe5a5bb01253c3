import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env';
import { unauthorized } from '../errors';
import { verifyAccessToken } from './cf-access';
import { sha256Hex, timingSafeEqualText } from './hmac';

export type ExpectedToken = string | null | undefined;

export type BearerAuthOptions = {
  /** The expected value is the sha256 hex of the token (stored secrets such as connect tokens). */
  hashed?: boolean;
};

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function readBearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

/**
 * Compares in constant time. Both sides are reduced to sha256 hex first so that neither the
 * length nor the content of the expected token leaks through timing. An empty expectation never
 * matches: an unset secret must lock the door, not open it.
 */
export async function bearerMatches(
  header: string | undefined,
  expected: ExpectedToken,
  options: BearerAuthOptions = {},
): Promise<boolean> {
  const token = readBearerToken(header);
  if (!token || !expected) return false;
  const presented = await sha256Hex(token);
  const wanted = options.hashed ? expected.toLowerCase() : await sha256Hex(expected);
  return timingSafeEqualText(presented, wanted);
}

/**
 * Middleware factory for bearer-token routes: `getExpected` returns the token the request must
 * carry (or its sha256 hex with `{ hashed: true }`); anything else is a 401 through AppError.
 * Apply it per route or per path, never as `use('*')` on a sub-app mounted at `/api`: Hono
 * copies such middleware to `/api/*`, where it would also guard store-token routes.
 */
export function bearerAuth(
  getExpected: (c: Context<AppEnv>) => ExpectedToken | Promise<ExpectedToken>,
  options: BearerAuthOptions = {},
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const ok = await bearerMatches(c.req.header('Authorization'), await getExpected(c), options);
    if (!ok) {
      c.header('WWW-Authenticate', 'Bearer realm="nightshift"');
      throw unauthorized();
    }
    await next();
  };
}

/** The header Cloudflare Access adds to every request it let through. */
export const ACCESS_JWT_HEADER = 'Cf-Access-Jwt-Assertion';

/**
 * The admin API's guard: `Authorization: Bearer <ADMIN_TOKEN>`, or, when the deployment sets
 * CF_ACCESS_TEAM_DOMAIN and CF_ACCESS_AUD, a valid Cloudflare Access token.
 */
export const adminAuth = (): MiddlewareHandler<AppEnv> => {
  const bearer = bearerAuth((c) => c.env.ADMIN_TOKEN);
  return async (c, next) => {
    const token = c.req.header(ACCESS_JWT_HEADER);
    if (token && (await verifyAccessToken(c.env, token))) return next();
    return bearer(c, next);
  };
};
