import { recordJourneyLog } from '../../db/queries/enrollments';
import type { JourneyAction, SendEmailAction } from '../../journeys/actions';
import { handOffSends } from '../send-stage/send-intent';
import { executeAction } from '../executors';
import type { ExecutorContext, ExecutorOutcome } from '../executors/types';
import type { TimerTable } from './timer-table';
import { ensureSchema } from './storage-schema';

export type OutboxEntry = { seq: number; action: JourneyAction; dueAt: number | null; attempts: number };
type OutboxRecord = { seq: number; action: string; due_at: number | null; attempts: number };

/** Retry delay after an executor threw: 30 s doubling up to an hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(30_000 * 2 ** attempts, 3_600_000);
}

/** Actions wait their turn per enrollment (a coupon before the email that shows it); other enrollments go on. */
function laneOf(action: JourneyAction): string {
  return action.enrollmentId;
}

export const OUTBOX_TIMER_KIND = 'outbox';
const timerId = (seq: number) => `outbox:${seq}`;

/**
 * The DO's list of actions still to run, written in the same transaction as the journey state.
 * An entry is deleted only once its effect is done, so a crash re-runs unfinished entries; every
 * executor is idempotent by the action's key. The one exception skips the list altogether: an email
 * handed to the send stage before the run is committed (handOffFirst), whose re-run the stage absorbs. A deferred or failed entry gets a due time and a
 * timer row, so the one alarm brings it back.
 */
export class JourneyOutbox {
  private readonly sql: SqlStorage;

  constructor(
    storage: DurableObjectStorage,
    private readonly timers: TimerTable,
  ) {
    this.sql = storage.sql;
    ensureSchema(
      storage,
      ['journey_outbox'],
      `CREATE TABLE IF NOT EXISTS journey_outbox (
         seq INTEGER PRIMARY KEY AUTOINCREMENT, action TEXT NOT NULL, due_at INTEGER, attempts INTEGER NOT NULL DEFAULT 0
       )`,
    );
  }

  /** Call inside the storage transaction that writes the state the actions came from. */
  append(actions: JourneyAction[]): void {
    for (const action of actions) this.sql.exec('INSERT INTO journey_outbox (action) VALUES (?)', JSON.stringify(action));
  }

  list(): OutboxEntry[] {
    return this.sql
      .exec<OutboxRecord>('SELECT seq, action, due_at, attempts FROM journey_outbox ORDER BY seq')
      .toArray()
      .map((r) => ({ seq: r.seq, action: JSON.parse(r.action) as JourneyAction, dueAt: r.due_at, attempts: r.attempts }));
  }

  /** Drops everything (the contact or store is gone: nothing left to act on). */
  clear(): void {
    for (const entry of this.list()) this.finish(entry);
  }

  /** Drops every pending effect (sends, coupons, prompts...) and keeps the journey log entries. */
  dropEffects(): void {
    for (const entry of this.list()) if (entry.action.type !== 'journey_log') this.finish(entry);
  }

  /**
   * Runs every entry that is due, in order; returns how many ran to an end (done, skipped or handed off).
   * With `handOff` (the store sends through Postmark), an email with no other message after it in its lane
   * goes to the batched send stage: the agent's emails of this run leave as one intent, in order, and the
   * stage sends the one message the lane would have waited for (its answer, if deferred, comes back here).
   * Journey log entries after a handed email in its lane (the enrollment completed) leave in the same intent:
   * the stage writes them with its batch instead of the agent paying a D1 round trip for them alone.
   */
  async drain(ctx: ExecutorContext, handOff = false): Promise<number> {
    const held = new Set<string>();
    const handedLanes = new Set<string>();
    const entries = this.list();
    const handed: OutboxEntry[] = [];
    let finished = 0;
    for (const [i, entry] of entries.entries()) {
      const lane = laneOf(entry.action);
      const waiting = held.has(lane) || (entry.dueAt !== null && entry.dueAt > ctx.now);
      const type = entry.action.type;
      if (!waiting && handOff && type === 'send_email' && lastMessageOfLane(entries, i)) {
        handed.push(entry);
        handedLanes.add(lane);
      } else if (!waiting && type === 'journey_log' && handedLanes.has(lane)) handed.push(entry);
      else if (waiting || !(await this.run(ctx, entry))) held.add(lane);
      else finished += 1;
    }
    return finished + (await this.handOff(ctx, handed));
  }

  /**
   * A send the batched stage deferred (quiet hours, caps) waits here for `until`, as one deferred here does;
   * a deferral redelivered moves the entry already waiting instead of adding a second.
   */
  putDeferred(action: SendEmailAction, until: number): void {
    const existing = this.list().find((e) => e.action.type === 'send_email' && e.action.idempotencyKey === action.idempotencyKey);
    if (existing) return this.postpone(existing, until, existing.attempts);
    const [row] = this.sql.exec<{ seq: number }>('INSERT INTO journey_outbox (action, due_at) VALUES (?, ?) RETURNING seq', JSON.stringify(action), until).toArray();
    this.timers.schedule({ id: timerId(row!.seq), dueAt: until, kind: OUTBOX_TIMER_KIND, payload: '' });
  }

  /**
   * Hands this run's emails to the send stage before the run is committed, when nothing older waits in the outbox and
   * each email's lane holds nothing but journey log entries; returns the actions that left (none if the queue failed:
   * they go through the outbox as before). The outbox row, its deletion and a second commit (with its fsync) are saved
   * for every reminder. A crash between this and the commit runs the step again: the stage finds the email's row and
   * sends nothing twice; only its journey log entries, stamped with the new run's time, can appear twice.
   */
  async handOffFirst(ctx: ExecutorContext, actions: JourneyAction[]): Promise<JourneyAction[]> {
    const leaving = actions.filter((a) => alone(actions, a));
    const emails = leaving.flatMap((a) => (a.type === 'send_email' ? [a] : []));
    if (emails.length === 0 || this.list().length > 0) return [];
    const logs = leaving.flatMap((a) => (a.type === 'journey_log' ? [a] : []));
    try {
      await handOffSends(ctx.env.SEND, { storeId: ctx.store.id, contactId: ctx.contact.id, actions: emails, ...(logs.length > 0 ? { logs } : {}), at: ctx.now });
      return leaving;
    } catch (err) {
      console.error('send hand-off failed; the outbox keeps the emails', err);
      return [];
    }
  }

  private async handOff(ctx: ExecutorContext, entries: OutboxEntry[]): Promise<number> {
    const actions = entries.flatMap((e) => (e.action.type === 'send_email' ? [e.action] : []));
    const logs = entries.flatMap((e) => (e.action.type === 'journey_log' ? [e.action] : []));
    if (actions.length === 0) return 0;
    try {
      await handOffSends(ctx.env.SEND, { storeId: ctx.store.id, contactId: ctx.contact.id, actions, ...(logs.length > 0 ? { logs } : {}), at: ctx.now });
      for (const entry of entries) this.finish(entry);
      return entries.length;
    } catch (err) {
      console.error('send hand-off failed', err);
      for (const entry of entries) this.postpone(entry, ctx.now + retryDelayMs(entry.attempts), entry.attempts + 1);
      return 0;
    }
  }

  /** True when the entry is finished; false when it waits (deferred, or failed and retried later). */
  private async run(ctx: ExecutorContext, entry: OutboxEntry): Promise<boolean> {
    try {
      const outcome = await executeAction(ctx, entry.action);
      if (outcome.status !== 'done') await logOutcome(ctx, entry.action, outcome);
      if (outcome.status === 'deferred') {
        this.postpone(entry, outcome.until, entry.attempts);
        return false;
      }
      this.finish(entry);
      return true;
    } catch (err) {
      console.error(`journey action ${entry.action.type} failed`, err);
      this.postpone(entry, ctx.now + retryDelayMs(entry.attempts), entry.attempts + 1);
      return false;
    }
  }

  private postpone(entry: OutboxEntry, dueAt: number, attempts: number): void {
    this.sql.exec('UPDATE journey_outbox SET due_at = ?, attempts = ? WHERE seq = ?', dueAt, attempts, entry.seq);
    this.timers.schedule({ id: timerId(entry.seq), dueAt, kind: OUTBOX_TIMER_KIND, payload: '' });
  }

  private finish(entry: OutboxEntry): void {
    this.sql.exec('DELETE FROM journey_outbox WHERE seq = ?', entry.seq);
    // Only a postponed entry (deferred, retried) has a due time, and with it a timer row.
    if (entry.dueAt !== null) this.timers.cancel(timerId(entry.seq));
  }
}

/** `action` belongs to a lane of `actions` made of one email and journey log entries only. */
function alone(actions: JourneyAction[], action: JourneyAction): boolean {
  const lane = actions.filter((a) => laneOf(a) === laneOf(action));
  return lane.filter((a) => a.type === 'send_email').length === 1 && lane.every((a) => a.type === 'send_email' || a.type === 'journey_log');
}

/** No email or SMS after `i` in its lane: nothing there must wait for this send's own outcome. */
function lastMessageOfLane(entries: OutboxEntry[], i: number): boolean {
  const lane = laneOf(entries[i]!.action);
  return entries.slice(i + 1).every((e) => laneOf(e.action) !== lane || (e.action.type !== 'send_email' && e.action.type !== 'send_sms'));
}

/** Skipped and deferred sends show in the journey log next to what the flow itself recorded. */
export async function logOutcome(ctx: ExecutorContext, action: JourneyAction, outcome: Exclude<ExecutorOutcome, { status: 'done' }>): Promise<void> {
  if (action.type === 'journey_log') return;
  await recordJourneyLog(
    ctx.d,
    {
      storeId: ctx.store.id,
      contactId: ctx.contact.id,
      flowId: action.flowId,
      flowVersion: action.flowVersion,
      enrollmentId: action.enrollmentId,
      what: outcome.status,
      nodeId: action.nodeId,
      reason: outcome.reason,
      at: ctx.now,
    },
    ctx.now,
  );
}
