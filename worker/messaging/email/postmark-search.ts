import { z } from 'zod';
import type { HttpOutcome } from '../retry';

/**
 * Postmark's outbound message search (`GET /messages/outbound`), used to learn whether a message
 * whose send had no answer (timeout, dropped connection, crash) was accepted after all. Every
 * message carries our send id in its Metadata, and `metadata_<key>=<value>` filters on it.
 */
export const PostmarkOutboundMessage = z.object({
  MessageID: z.string(),
  Metadata: z.record(z.string(), z.string()).optional(),
  Status: z.string().optional(),
  MessageStream: z.string().optional(),
});
export const PostmarkOutboundSearch = z.object({ TotalCount: z.number(), Messages: z.array(PostmarkOutboundMessage) });

export type SentLookup = { status: 'found'; messageId: string } | { status: 'not_found' } | { status: 'error'; message: string };

/** A few per send id: the same id sent twice would show as two, and one is enough to know. */
const SEARCH_COUNT = 10;

export function outboundSearchPath(sendId: string, stream: string): string {
  const query = new URLSearchParams({ count: String(SEARCH_COUNT), offset: '0', messagestream: stream, metadata_send_id: sendId });
  return `/messages/outbound?${query}`;
}

/** `get` performs the GET (with the client's headers and retries); a search is safe to repeat. */
export async function lookupSent(get: (path: string) => Promise<HttpOutcome>, sendId: string, stream: string): Promise<SentLookup> {
  const outcome = await get(outboundSearchPath(sendId, stream));
  if (outcome.kind === 'network') return { status: 'error', message: outcome.error };
  if (!outcome.response.ok) {
    await outcome.response.body?.cancel();
    return { status: 'error', message: `outbound search answered HTTP ${outcome.response.status}` };
  }
  const body = PostmarkOutboundSearch.safeParse(await outcome.response.json().catch(() => null));
  if (!body.success) return { status: 'error', message: 'outbound search answered an unexpected body' };
  // The filter is Postmark's; the send id is checked again so a filter ignored can never mark a row sent.
  const match = body.data.Messages.find((m) => m.Metadata?.send_id === sendId);
  return match ? { status: 'found', messageId: match.MessageID } : { status: 'not_found' };
}
