import { recordJourneyLog } from '../../db/queries/enrollments';
import type { JourneyAction } from '../../journeys/actions';
import { executeAction } from '../executors';
import type { ExecutorContext, ExecutorOutcome } from '../executors/types';
import type { TimerTable } from './timer-table';

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
 * executor is idempotent by the action's key. A deferred or failed entry gets a due time and a
 * timer row, so the one alarm brings it back.
 */
export class JourneyOutbox {
  private readonly sql: SqlStorage;

  constructor(
    storage: DurableObjectStorage,
    private readonly timers: TimerTable,
  ) {
    this.sql = storage.sql;
    this.sql.exec(
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

  /** Runs every entry that is due, in order; returns how many ran to an end (done or skipped). */
  async drain(ctx: ExecutorContext): Promise<number> {
    const held = new Set<string>();
    let finished = 0;
    for (const entry of this.list()) {
      const lane = laneOf(entry.action);
      const waiting = held.has(lane) || (entry.dueAt !== null && entry.dueAt > ctx.now);
      if (waiting || !(await this.run(ctx, entry))) held.add(lane);
      else finished += 1;
    }
    return finished;
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
    this.timers.cancel(timerId(entry.seq));
  }
}

/** Skipped and deferred sends show in the journey log next to what the flow itself recorded. */
async function logOutcome(ctx: ExecutorContext, action: JourneyAction, outcome: Exclude<ExecutorOutcome, { status: 'done' }>): Promise<void> {
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
