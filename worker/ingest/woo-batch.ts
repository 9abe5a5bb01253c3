import type { Db } from '../db/client';
import {
  finishDeliveries,
  loadPayloads,
  recordDeliveries,
  type FinishedDelivery,
  type LoggedDelivery,
  type PayloadRef,
} from '../db/queries/deliveries';
import { consumeOne, retryDelaySeconds } from './consumer';
import type { WooDeliveryMessage } from './messages';
import {
  applyWooDelivery,
  decodeWooMessage,
  deliveryLogRow,
  isFinishedDelivery,
  type WooApplyResult,
} from './woo-processor';
import { wooResourceId, type WooDelivery } from './woo-topics';

type WooMessage = Message<WooDeliveryMessage>;

/** One delivery of the batch, decoded; `copies` are further messages of the same delivery in this batch. */
type Ready = { message: WooMessage; copies: WooMessage[]; delivery: WooDelivery };
type Applied = { ready: Ready; result: WooApplyResult };

/**
 * The WooCommerce deliveries of one queue batch, sharing the delivery log's round trips: one logs every delivery
 * as queued and reads back which were already finished, one writes every outcome and releases the payloads. Each
 * delivery is applied as `processWooMessage` would; anything that does not go the happy way (a payload missing,
 * a body that does not decode, an apply that throws) takes the one-message path, which parks or retries it.
 */
export async function consumeWooBatch(env: Env, d: Db, messages: WooMessage[]): Promise<void> {
  if (messages.length === 0) return;
  const { ready, oneByOne } = await prepare(d, messages);
  let logged: Map<string, LoggedDelivery>;
  try {
    const rows = await recordDeliveries(
      d,
      ready.map((r) => deliveryLogRow(r.message.body, r.delivery)),
    );
    logged = new Map(rows.map((row) => [deliveryKey(row), row]));
  } catch (err) {
    console.error('could not log the batch of deliveries; taking them one by one', err);
    await Promise.all([...oneByOne, ...ready.flatMap(allMessages)].map((m) => consumeOne(env, d, m)));
    return;
  }
  const { applied, skipped, failed } = await applyAll(env, d, ready, logged);
  await Promise.all([
    finish(d, applied, skipped),
    ...[...oneByOne, ...failed.flatMap(allMessages)].map((m) => consumeOne(env, d, m)),
  ]);
}

/** Reads the bodies (large ones from D1 in one round trip) and decodes them; copies of one delivery go together. */
async function prepare(d: Db, messages: WooMessage[]): Promise<{ ready: Ready[]; oneByOne: WooMessage[] }> {
  const oneByOne: WooMessage[] = [];
  const byDelivery = new Map<string, WooMessage[]>();
  for (const message of messages) {
    const key = deliveryKey(message.body);
    if (!isWellFormed(message.body)) oneByOne.push(message);
    else byDelivery.set(key, [...(byDelivery.get(key) ?? []), message]);
  }
  const payloads = await loadBatchPayloads(d, [...byDelivery.values()].flat());
  const ready: Ready[] = [];
  for (const [message, ...copies] of byDelivery.values()) {
    if (!message) continue;
    const { body } = message.body;
    const raw = 'inline' in body ? body.inline : payloads?.get(payloadKey(body.payloadId, message.body));
    try {
      if (raw === undefined) throw new Error('payload not at hand');
      ready.push({ message, copies, delivery: decodeWooMessage(message.body, raw) });
    } catch {
      // The one-message path decides: park a body that cannot decode, skip or retry a missing payload.
      oneByOne.push(message, ...copies);
    }
  }
  return { ready, oneByOne };
}

/** `undefined` when the read failed: those messages then take the one-message path. */
async function loadBatchPayloads(d: Db, messages: WooMessage[]): Promise<Map<string, string> | undefined> {
  const refs = messages.flatMap((m) => payloadRef(m.body));
  if (refs.length === 0) return new Map();
  try {
    const rows = await loadPayloads(d, refs);
    return new Map(rows.map((row) => [payloadKey(row.id, row), row.body]));
  } catch (err) {
    console.error('could not read the payloads of the batch', err);
    return undefined;
  }
}

/**
 * Deliveries about one resource apply one after another in arrival order, so the outcome does not hang on timing;
 * different resources apply side by side, as the queue would hand them to separate invocations.
 */
async function applyAll(env: Env, d: Db, ready: Ready[], logged: Map<string, LoggedDelivery>) {
  const applied: Applied[] = [];
  const skipped: Ready[] = [];
  const failed: Ready[] = [];
  const lanes = new Map<string, { ready: Ready; log: LoggedDelivery }[]>();
  for (const r of ready) {
    const log = logged.get(deliveryKey(r.message.body));
    if (!log) failed.push(r);
    else if (isFinishedDelivery(log)) skipped.push(r);
    else lanes.set(resourceKey(r), [...(lanes.get(resourceKey(r)) ?? []), { ready: r, log }]);
  }
  await Promise.all(
    [...lanes.values()].map(async (lane) => {
      lane.sort((a, b) => a.log.receivedAt - b.log.receivedAt || compare(a.log.deliveryId, b.log.deliveryId));
      for (const { ready: r, log } of lane) {
        const { storeId, deliveryId } = r.message.body;
        try {
          const result = await applyWooDelivery({ env, d, storeId, deliveryId, at: log.receivedAt }, r.delivery);
          applied.push({ ready: r, result });
        } catch (err) {
          console.error('woo delivery failed in its batch; retrying it alone', { deliveryId, err });
          failed.push(r);
        }
      }
    }),
  );
  return { applied, skipped, failed };
}

/** Logs every outcome and releases every payload in one round trip, then acknowledges; on failure all retry. */
async function finish(d: Db, applied: Applied[], skipped: Ready[]): Promise<void> {
  const outcomes: FinishedDelivery[] = applied.map(({ ready, result }) => ({
    storeId: ready.message.body.storeId,
    deliveryId: ready.message.body.deliveryId,
    outcome: result.outcome,
    note: result.note,
  }));
  const done = [...applied.map((a) => a.ready), ...skipped].flatMap(allMessages);
  try {
    await finishDeliveries(
      d,
      outcomes,
      done.flatMap((m) => payloadRef(m.body)),
      Date.now(),
    );
  } catch (err) {
    // Applying again is harmless: every write is idempotent and guarded by the record's version.
    console.error('could not log the outcomes of the batch; retrying its deliveries', err);
    for (const m of done) m.retry({ delaySeconds: retryDelaySeconds(m.attempts) });
    return;
  }
  for (const m of done) m.ack();
}

function isWellFormed(m: WooDeliveryMessage): boolean {
  const body: unknown = m.body;
  return (
    typeof m.deliveryId === 'string' &&
    typeof m.topic === 'string' &&
    Number.isFinite(m.receivedAt) &&
    typeof body === 'object' &&
    body !== null &&
    (typeof (body as { inline?: unknown }).inline === 'string' ||
      typeof (body as { payloadId?: unknown }).payloadId === 'string')
  );
}

function payloadRef(m: WooDeliveryMessage): PayloadRef[] {
  return 'payloadId' in m.body ? [{ storeId: m.storeId, id: m.body.payloadId }] : [];
}

function payloadKey(id: string, of: { storeId: string }): string {
  return JSON.stringify([of.storeId, id]);
}

function allMessages(r: Ready): WooMessage[] {
  return [r.message, ...r.copies];
}

function deliveryKey(m: { storeId: string; deliveryId: string }): string {
  return JSON.stringify([m.storeId, m.deliveryId]);
}

/** The topic's resource and the record's id; a delivery about no record is a lane of its own. */
function resourceKey(r: Ready): string {
  const { storeId, topic, deliveryId } = r.message.body;
  const resource = topic.split('.')[0];
  const id = wooResourceId(r.delivery);
  return JSON.stringify(id === null ? [storeId, 'delivery', deliveryId] : [storeId, resource, id]);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
