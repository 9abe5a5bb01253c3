import type { Db } from '../../db/client';
import {
  finishDeliveries,
  loadPayloads,
  recordDeliveries,
  type FinishedDelivery,
  type LoggedDelivery,
  type PayloadRef,
} from '../../db/queries/deliveries';
import { consumeOne, retryDelaySeconds } from '../consume-one';
import type { WooDeliveryMessage } from '../messages';
import {
  applyWooDelivery,
  decodeWooMessage,
  deliveryLogRow,
  isFinishedDelivery,
  type WooApplyResult,
} from './woo-processor';
import type { WooDelivery } from './woo-topics';

type WooMessage = Message<WooDeliveryMessage>;

/** One delivery of the batch, decoded; `copies` are further messages of the same delivery in this batch. */
type Ready = { message: WooMessage; copies: WooMessage[]; delivery: WooDelivery };
type Applied = { ready: Ready; result: WooApplyResult };
type Pending = { ready: Ready; log: LoggedDelivery };

/**
 * The WooCommerce deliveries of one queue batch, sharing the delivery log's round trips: one logs every delivery
 * as queued and reads back which were already finished, one writes every outcome and releases the payloads. Each
 * delivery is applied as `processWooMessage` would; anything that does not go the happy way (a payload missing,
 * a body that does not decode, an apply that throws) takes the one-message path, which tries once more, then
 * parks or retries it.
 */
export async function consumeWooBatch(env: Env, d: Db, messages: WooMessage[]): Promise<void> {
  if (messages.length === 0) return;
  const { ready, oneByOne } = await prepare(d, messages);
  let logged: Map<string, LoggedDelivery>;
  try {
    const rows = await recordDeliveries(d, ready.map((r) => deliveryLogRow(r.message.body, r.delivery)));
    logged = new Map(rows.map((row) => [deliveryKey(row), row]));
  } catch (err) {
    console.error('could not log the batch of deliveries; taking them one by one', err);
    await Promise.all([...oneByOne, ...ready.flatMap(allMessages)].map((m) => consumeOne(env, d, m)));
    return;
  }
  const { applied, skipped, unlogged } = await applyAll(env, d, ready, logged);
  await Promise.all([
    finish(d, applied, skipped),
    ...[...oneByOne, ...unlogged.flatMap(allMessages)].map((m) => consumeOne(env, d, m)),
  ]);
}

/** Reads the bodies (large ones from D1 in one round trip) and decodes them; copies of one delivery go together. */
async function prepare(d: Db, messages: WooMessage[]): Promise<{ ready: Ready[]; oneByOne: WooMessage[] }> {
  const oneByOne = messages.filter((m) => !isWellFormed(m.body));
  const byDelivery = Map.groupBy(
    messages.filter((m) => isWellFormed(m.body)),
    (m) => deliveryKey(m.body),
  );
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
 * Deliveries that touch a common record apply one after another in arrival order, as they would one by one, so
 * the outcome does not hang on timing; the others apply side by side.
 */
async function applyAll(env: Env, d: Db, ready: Ready[], logged: Map<string, LoggedDelivery>) {
  const applied: Applied[] = [];
  const skipped: Ready[] = [];
  const unlogged: Ready[] = [];
  const pending: Pending[] = [];
  for (const r of ready) {
    const log = logged.get(deliveryKey(r.message.body));
    // A row that is not there cannot be skipped or finished here; the one-message path logs it again.
    if (!log) unlogged.push(r);
    else if (isFinishedDelivery(log)) skipped.push(r);
    else pending.push({ ready: r, log });
  }
  await Promise.all(
    lanes(pending).map(async (lane) => {
      lane.sort((a, b) => a.log.receivedAt - b.log.receivedAt || compare(a.log.deliveryId, b.log.deliveryId));
      for (const { ready: r, log } of lane) {
        const { storeId, deliveryId } = r.message.body;
        try {
          const result = await applyWooDelivery({ env, d, storeId, deliveryId, at: log.receivedAt }, r.delivery);
          applied.push({ ready: r, result });
        } catch (err) {
          // Retried alone at once, before the lane goes on, so a passing fault keeps the arrival order.
          console.error('woo delivery failed in its batch; retrying it alone', { deliveryId, err });
          await Promise.all(allMessages(r).map((m) => consumeOne(env, d, m)));
        }
      }
    }),
  );
  return { applied, skipped, unlogged };
}

/** Joins deliveries that share any record they touch (transitively) into one lane. */
function lanes(pending: Pending[]): Pending[][] {
  const parent = pending.map((_, i) => i);
  const root = (i: number): number => {
    let r = i;
    while (parent[r] !== r) r = parent[r] ?? r;
    return r;
  };
  const owner = new Map<string, number>();
  pending.forEach((p, i) => {
    for (const key of touches(p.ready)) {
      const other = owner.get(key);
      if (other === undefined) owner.set(key, i);
      else parent[root(other)] = root(i);
    }
  });
  return [...Map.groupBy(pending, (_, i) => root(i)).values()];
}

/**
 * The records a delivery reads or writes: its own, and for orders and customers the person's customer id and
 * email, which decide the contact; an order's action hook reads the order.
 */
function touches(r: Ready): string[] {
  const { storeId, deliveryId } = r.message.body;
  const key = (...parts: (string | number)[]) => JSON.stringify([storeId, ...parts]);
  const email = (address: string | null) => (address ? [key('email', address.trim().toLowerCase())] : []);
  const delivery = r.delivery;
  switch (delivery.kind) {
    case 'order': {
      const o = delivery.payload;
      return [key('order', o.id), ...(o.customer_id > 0 ? [key('customer', o.customer_id)] : []), ...email(o.billing.email)];
    }
    case 'customer':
      return [key('customer', delivery.payload.id), ...email(delivery.payload.email)];
    case 'product':
    case 'coupon':
      return [key(delivery.kind, delivery.payload.id)];
    case 'deleted':
      return [key(delivery.resource, delivery.payload.id)];
    case 'action': {
      const { action, arg } = delivery.payload;
      return [/order/.test(action) && typeof arg === 'number' ? key('order', arg) : key('delivery', deliveryId)];
    }
    case 'ignored':
    case 'skipped':
      return [key('delivery', deliveryId)];
  }
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
    await finishDeliveries(d, outcomes, done.flatMap((m) => payloadRef(m.body)), Date.now());
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

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
