import { Hono } from 'hono';
import { z } from 'zod';
import { DEFAULT_GRACE_MINUTES, MAX_GRACE_MINUTES, MIN_GRACE_MINUTES } from '../connect/secrets';
import { rotateSecret } from '../connect/rotate-secret';
import { db } from '../db/client';
import { findStore } from '../db/queries/stores';
import type { AppEnv } from '../env';
import { notFound } from '../errors';
import { adminAuth } from '../lib/bearer-auth';
import { parseJsonBody } from '../lib/validate';

export const RotateSecretBody = z.object({
  graceMinutes: z.number().int().min(MIN_GRACE_MINUTES).max(MAX_GRACE_MINUTES).default(DEFAULT_GRACE_MINUTES),
});
export type RotateSecretBody = z.infer<typeof RotateSecretBody>;

/** `POST /api/stores/:store/rotate-secret`: a new webhook secret, handed to the plugin, with a grace period. */
export const secretRotation = new Hono<AppEnv>().post('/stores/:store/rotate-secret', adminAuth(), async (c) => {
  const body = await parseJsonBody(c, RotateSecretBody);
  const store = await findStore(db(c.env.DB), c.req.param('store'));
  if (!store) throw notFound('Store');
  const result = await rotateSecret(c.env, (input, init) => fetch(input, init), store, body.graceMinutes * 60_000, Date.now());
  return c.json({
    store: store.id,
    rotated: true,
    webhooksUpdated: result.webhooksUpdated,
    previousSecretValidUntil: new Date(result.previousSecretUntil).toISOString(),
  });
});
