import { db } from '../db/client';
import { listConnectedSites } from '../db/queries/stores';
import { SIGNATURE_HEADER, signNightshift } from '../lib/hmac';
import type { FetchLike } from '../messaging/retry';
import type { ScheduledJob } from '../scheduled';

/** The trigger in wrangler.toml that runs only this job; the other jobs keep their 15-minute trigger. */
export const MINUTE_CRON = '* * * * *';
/** The plugin keeps running after we hang up (ignore_user_abort), so there is no need to wait long. */
const TICK_TIMEOUT_MS = 5_000;
/** A Worker invocation holds at most six connections at once; more would queue and eat their own timeouts. */
const PARALLEL = 6;

export type SiteTick = { storeId: string; ok: boolean; status: number | null; ran: number | null; error?: string };

/** The plugin's route; `?rest_route=` works whether or not the site has pretty permalinks. */
export function tickUrl(siteUrl: string): string {
  const url = new URL(siteUrl);
  url.pathname = url.pathname.replace(/\/*$/, '/');
  url.search = '';
  url.hash = '';
  url.searchParams.set('rest_route', '/nightshift/v1/tick');
  return url.toString();
}

/**
 * Calls every connected store's signed tick endpoint, which runs WooCommerce's pending webhook deliveries: they
 * go through Action Scheduler on WP-Cron, which runs only when someone visits, so a quiet site would hold an
 * order webhook until its next visitor. A slow or broken site costs at most the timeout and never stops the others.
 */
export async function tickSites(env: Env, now: number, fetcher: FetchLike = fetch): Promise<SiteTick[]> {
  const sites = await listConnectedSites(db(env.DB));
  const results: SiteTick[] = [];
  let next = 0;
  const worker = async () => {
    while (next < sites.length) {
      const site = sites[next++]!;
      results.push(await tickSite(site, now, fetcher));
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, sites.length) }, worker));
  for (const r of results) if (!r.ok) console.warn(`tick ${r.storeId}: ${r.status ?? r.error}`);
  return results;
}

async function tickSite(site: { id: string; siteUrl: string; webhookSecret: string }, now: number, fetcher: FetchLike): Promise<SiteTick> {
  const body = JSON.stringify({ store: site.id, at: now });
  try {
    const res = await fetcher(tickUrl(site.siteUrl), {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        [SIGNATURE_HEADER]: await signNightshift(site.webhookSecret, body, Math.floor(now / 1000)),
      },
      body,
      signal: AbortSignal.timeout(TICK_TIMEOUT_MS),
    });
    const answer = await res.json<{ ran?: unknown }>().catch(() => null);
    const ran = typeof answer?.ran === 'number' ? answer.ran : null;
    return { storeId: site.id, ok: res.ok, status: res.status, ran };
  } catch (err) {
    return { storeId: site.id, ok: false, status: null, ran: null, error: err instanceof Error ? err.name : String(err) };
  }
}

export const siteTickJob: ScheduledJob = { name: 'site-tick', run: async (env, now) => void (await tickSites(env, now)) };
