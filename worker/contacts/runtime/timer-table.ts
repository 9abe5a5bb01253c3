import { ensureSchema } from './storage-schema';

/**
 * Many timers behind a Durable Object's single alarm. Rows live in the DO's SQLite storage;
 * the alarm is always armed at the earliest row. A row is deleted only after its work is
 * durable (`complete`), so a crash between running and deleting re-runs it: handlers must be
 * idempotent, which the send keys guarantee.
 */
export type Timer = {
  id: string;
  dueAt: number;
  kind: string;
  payload: string;
};

type TimerRecord = { id: string; due_at: number; kind: string; payload: string };

export class TimerTable {
  private readonly sql: SqlStorage;
  /** Bumped by every write to the table: a caller can tell whether the alarm may need moving since it last armed it. */
  changes = 0;

  constructor(private readonly storage: DurableObjectStorage) {
    this.sql = storage.sql;
    ensureSchema(
      storage,
      ['timers', 'timers_due'],
      `CREATE TABLE IF NOT EXISTS timers (
         id TEXT PRIMARY KEY, due_at INTEGER NOT NULL, kind TEXT NOT NULL, payload TEXT NOT NULL
       );
       CREATE INDEX IF NOT EXISTS timers_due ON timers (due_at);`,
    );
  }

  /** Same id again replaces the earlier timer: scheduling is idempotent. */
  schedule(timer: Timer): void {
    this.changes++;
    this.sql.exec(
      `INSERT INTO timers (id, due_at, kind, payload) VALUES (?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET due_at = excluded.due_at, kind = excluded.kind, payload = excluded.payload`,
      timer.id,
      timer.dueAt,
      timer.kind,
      timer.payload,
    );
  }

  cancel(id: string): void {
    this.changes++;
    this.sql.exec('DELETE FROM timers WHERE id = ?', id);
  }

  /** Cancels every timer whose id starts with `prefix` (e.g. all timers of one enrollment). */
  cancelPrefix(prefix: string): void {
    this.changes++;
    this.sql.exec("DELETE FROM timers WHERE substr(id, 1, length(?)) = ?", prefix, prefix);
  }

  list(): Timer[] {
    return this.sql.exec<TimerRecord>('SELECT * FROM timers ORDER BY due_at, id').toArray().map(toTimer);
  }

  due(now: number): Timer[] {
    return this.sql
      .exec<TimerRecord>('SELECT * FROM timers WHERE due_at <= ? ORDER BY due_at, id', now)
      .toArray()
      .map(toTimer);
  }

  /** Deletes the row only if it was not rescheduled while its work ran. */
  complete(timer: Timer): void {
    this.changes++;
    this.sql.exec('DELETE FROM timers WHERE id = ? AND due_at = ?', timer.id, timer.dueAt);
  }

  /** Points the one alarm at the earliest timer, or clears it when none is left. */
  async arm(): Promise<void> {
    const next = this.sql.exec<{ due_at: number | null }>('SELECT min(due_at) AS due_at FROM timers').one().due_at;
    if (next === null) {
      await this.storage.deleteAlarm();
      return;
    }
    const current = await this.storage.getAlarm();
    if (current !== next) await this.storage.setAlarm(next);
  }
}

function toTimer(r: TimerRecord): Timer {
  return { id: r.id, dueAt: r.due_at, kind: r.kind, payload: r.payload };
}
