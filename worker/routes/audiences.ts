import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../env';
import { notFound, validationError } from '../errors';
import { db } from '../db/client';
import { listAudienceForExport } from '../db/queries/audiences';
import { findStore } from '../db/queries/stores';
import { adminAuth } from '../lib/bearer-auth';
import { parseQuery } from '../lib/validate';
import { audienceCsv } from '../messaging/audience-export';

export const AudienceName = z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/, 'an audience name such as cart_abandoners');
export const AudienceExportQuery = z.object({ store: z.string().min(1).max(128) });
export type AudienceExportQuery = z.infer<typeof AudienceExportQuery>;

/** A CSV of hashed identifiers as a private download (API and dashboard alike). */
export function csvDownload(c: Context, csv: string, filename: string): Response {
  return c.body(csv, 200, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="${filename}"`,
    'Cache-Control': 'private, no-store',
  });
}

/** `GET /api/audiences/:audience/export.csv?store=`: hashed identifiers in the format ad platforms upload. */
export const audiences = new Hono<AppEnv>().get('/audiences/:audience/export.csv', adminAuth(), async (c) => {
  const audience = AudienceName.safeParse(c.req.param('audience'));
  if (!audience.success) throw validationError(audience.error, 'audience');
  const { store: storeId } = parseQuery(c, AudienceExportQuery);
  const d = db(c.env.DB);
  if (!(await findStore(d, storeId))) throw notFound('Store');
  const csv = await audienceCsv(await listAudienceForExport(d, storeId, audience.data));
  return csvDownload(c, csv, `${storeId}-${audience.data}.csv`);
});
