import { DurableObject } from 'cloudflare:workers';
import type { ContactDomainEvent } from './domain-events';

type EventRecord = { id: string; body: string };

/**
 * One per contact (named `<store>:<contact>`): serial, timed work for that contact. For now it keeps the
 * contact's domain events, each once by id, so journeys can start from a history that retries never inflate.
 */
export class ContactAgent extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec(
      `CREATE TABLE IF NOT EXISTS domain_events (
         seq INTEGER PRIMARY KEY AUTOINCREMENT,
         id TEXT NOT NULL UNIQUE,
         type TEXT NOT NULL,
         occurred_at INTEGER NOT NULL,
         recorded_at INTEGER NOT NULL,
         body TEXT NOT NULL
       )`,
    );
  }

  /** Records the events not seen before and returns their ids; a replay records nothing. */
  async recordEvents(events: ContactDomainEvent[]): Promise<string[]> {
    const now = Date.now();
    const recorded: string[] = [];
    for (const event of events) {
      const cursor = this.ctx.storage.sql.exec(
        `INSERT INTO domain_events (id, type, occurred_at, recorded_at, body) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (id) DO NOTHING`,
        event.id,
        event.type,
        event.occurredAt,
        now,
        JSON.stringify(event),
      );
      if (cursor.rowsWritten > 0) recorded.push(event.id);
    }
    return recorded;
  }

  /** The contact's events in the order they were recorded. */
  async listEvents(): Promise<ContactDomainEvent[]> {
    return this.ctx.storage.sql
      .exec<EventRecord>('SELECT id, body FROM domain_events ORDER BY seq')
      .toArray()
      .map((row) => JSON.parse(row.body) as ContactDomainEvent);
  }
}
