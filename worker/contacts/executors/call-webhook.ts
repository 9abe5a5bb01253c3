import { beginWebhookCall, finishWebhookCall } from '../../db/queries/webhook-calls';
import { signNightshift, SIGNATURE_HEADER } from '../../lib/hmac';
import type { CallWebhookAction } from '../../journeys/actions';
import type { FetchLike } from '../../messaging/retry';
import type { Executor, ExecutorContext, ExecutorOutcome } from './types';

export const WEBHOOK_IDEMPOTENCY_HEADER = 'Idempotency-Key';
const TIMEOUT_MS = 5_000;

/** The body the receiver gets: which contact, which step, and the enrollment's context. */
export function webhookBody(ctx: ExecutorContext, action: CallWebhookAction): string {
  return JSON.stringify({
    id: action.idempotencyKey,
    store: ctx.store.id,
    contact: { id: ctx.contact.id, email: ctx.contact.email, phone: ctx.contact.phone, firstName: ctx.contact.firstName },
    flow: { id: action.flowId, version: action.flowVersion, enrollmentId: action.enrollmentId, nodeId: action.nodeId },
    context: action.context,
    sentAt: new Date(ctx.now).toISOString(),
  });
}

function isHttpUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

/**
 * POSTs the context, signed like every Nightshift server-to-server call, with the idempotency key
 * in a header so the receiver can drop a repeat. 2xx is done; 4xx is final (skipped, reason kept);
 * 5xx, 429, timeouts and network errors throw so the ContactAgent keeps the outbox entry and retries.
 */
export async function callWebhook(ctx: ExecutorContext, action: CallWebhookAction, fetcher: FetchLike): Promise<ExecutorOutcome> {
  const storeId = ctx.store.id;
  const key = action.idempotencyKey;
  if (!isHttpUrl(action.url)) return { status: 'skipped', reason: `not an http(s) URL: ${action.url}` };
  const call = await beginWebhookCall(ctx.d, { storeId, idempotencyKey: key, contactId: ctx.contact.id, url: action.url, createdAt: ctx.now });
  if (call.status === 'delivered') return { status: 'done' };
  if (call.status === 'rejected') return { status: 'skipped', reason: `rejected earlier with HTTP ${call.responseStatus ?? '?'}` };

  const body = webhookBody(ctx, action);
  let res: Response;
  try {
    res = await fetcher(action.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        [SIGNATURE_HEADER]: await signNightshift(ctx.store.webhookSecret, body, Math.floor(ctx.now / 1000)),
        [WEBHOOK_IDEMPOTENCY_HEADER]: key,
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await finishWebhookCall(ctx.d, storeId, key, { status: 'pending', responseStatus: null, error: message }, ctx.now);
    throw new Error(`webhook ${action.url} unreachable: ${message}`);
  }
  await res.body?.cancel();
  if (res.ok) {
    await finishWebhookCall(ctx.d, storeId, key, { status: 'delivered', responseStatus: res.status, error: null }, ctx.now);
    return { status: 'done' };
  }
  if (res.status >= 500 || res.status === 429) {
    await finishWebhookCall(ctx.d, storeId, key, { status: 'pending', responseStatus: res.status, error: `HTTP ${res.status}` }, ctx.now);
    throw new Error(`webhook ${action.url} answered HTTP ${res.status}`);
  }
  await finishWebhookCall(ctx.d, storeId, key, { status: 'rejected', responseStatus: res.status, error: `HTTP ${res.status}` }, ctx.now);
  return { status: 'skipped', reason: `webhook answered HTTP ${res.status}` };
}

export const executeCallWebhook: Executor<'call_webhook'> = (ctx, action) => callWebhook(ctx, action, (input, init) => fetch(input, init));
