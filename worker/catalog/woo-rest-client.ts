import { z } from 'zod';
import type { FetchLike } from '../messaging/retry';
import { AppError } from '../errors';

export type WooRestCredentials = { siteUrl: string; consumerKey: string; consumerSecret: string };

/** WooCommerce caps `per_page` at 100. */
export const WOO_PER_PAGE = 100;
const TIMEOUT_MS = 20_000;
const WooError = z.object({ code: z.string(), message: z.string() });

export type WooPage = { items: unknown[]; totalPages: number };

/**
 * One page of a WooCommerce REST collection (`/wp-json/wc/v3/...`), with Basic auth as WooCommerce documents
 * for HTTPS. The page count comes from `X-WP-TotalPages`. A refusal the store will repeat (bad keys, no such
 * route) is an AppError, so the queue parks it instead of retrying; anything else throws for a retry.
 */
export async function wooGetPage(fetcher: FetchLike, creds: WooRestCredentials, path: string, page: number): Promise<WooPage> {
  const url = new URL(`${creds.siteUrl.replace(/\/+$/, '')}/wp-json/wc/v3${path}`);
  url.searchParams.set('per_page', String(WOO_PER_PAGE));
  url.searchParams.set('page', String(page));
  const res = await fetcher(url.toString(), {
    method: 'GET',
    headers: { Authorization: `Basic ${btoa(`${creds.consumerKey}:${creds.consumerSecret}`)}`, Accept: 'application/json' },
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const json: unknown = await res.json().catch(() => null);
  if (res.status >= 500 || res.status === 429) throw new Error(`WooCommerce ${path} answered HTTP ${res.status}`);
  if (res.status !== 200) {
    const error = WooError.safeParse(json);
    const detail = error.success ? `${error.data.code}: ${error.data.message}` : `HTTP ${res.status}`;
    throw new AppError(502, 'forbidden', `WooCommerce ${path} refused: ${detail}`);
  }
  if (!Array.isArray(json)) throw new Error(`WooCommerce ${path} did not answer a list`);
  const totalPages = Number(res.headers.get('X-WP-TotalPages') ?? '1');
  return { items: json, totalPages: Number.isInteger(totalPages) && totalPages > 0 ? totalPages : 1 };
}
