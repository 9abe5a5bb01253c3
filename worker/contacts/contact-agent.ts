import { DurableObject } from 'cloudflare:workers';
import type { SendEmailAction } from '../journeys/actions';
import type { ContactDomainEvent } from './domain-events';
import { JourneyRuntime, type JourneyStatus } from './runtime/journey-runtime';
import { ensureSchema, forgetSchema, schemaNames } from './runtime/storage-schema';

type EventRecord = { id: string; body: string };

/** Left behind by erase(): holds no personal data, only the fact, so late events are dropped. */
const ERASED_MARKER = 'erased_contact';

/**
 * One per contact (named `<store>:<contact>`): serial, timed work for that contact. It keeps the contact's
 * domain events, each once by id, and runs the contact's journeys on the new ones (see journey-runtime.ts).
 */
export class ContactAgent extends DurableObject<Env> {
  private readonly journeys: JourneyRuntime;
  private erased: boolean;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.erased = schemaNames(ctx.storage).has(ERASED_MARKER);
    ensureSchema(
      ctx.storage,
      ['domain_events'],
      `CREATE TABLE IF NOT EXISTS domain_events (
         seq INTEGER PRIMARY KEY AUTOINCREMENT,
         id TEXT NOT NULL UNIQUE,
         type TEXT NOT NULL,
         occurred_at INTEGER NOT NULL,
         recorded_at INTEGER NOT NULL,
         body TEXT NOT NULL
       )`,
    );
    // Events the contact's own flow steps cause (a tag entering a segment) are logged here like delivered ones.
    this.journeys = new JourneyRuntime(ctx.storage, env, (events, now) => events.filter((event) => this.record(event, now)));
  }

  /**
   * Records the events not seen before, steps the contact's journeys with them and returns their ids; a replay
   * records nothing and steps nothing. `now` exists for tests; callers leave it out.
   */
  async recordEvents(events: ContactDomainEvent[], now = Date.now()): Promise<string[]> {
    // An event already in flight when the contact was erased must not bring their data back.
    if (this.erased) return [];
    const fresh = this.ctx.storage.transactionSync(() => {
      const recorded = events.filter((event) => this.record(event, now));
      this.journeys.enqueue(recorded);
      return recorded;
    });
    await this.journeys.processInbox(now);
    return fresh.map((e) => e.id);
  }

  private record(event: ContactDomainEvent, now: number): boolean {
    const cursor = this.ctx.storage.sql.exec(
      `INSERT INTO domain_events (id, type, occurred_at, recorded_at, body) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (id) DO NOTHING`,
      event.id,
      event.type,
      event.occurredAt,
      now,
      JSON.stringify(event),
    );
    return cursor.rowsWritten > 0;
  }

  /** The contact's events in the order they were recorded. */
  async listEvents(): Promise<ContactDomainEvent[]> {
    if (this.erased) return [];
    return this.ctx.storage.sql
      .exec<EventRecord>('SELECT id, body FROM domain_events ORDER BY seq')
      .toArray()
      .map((row) => JSON.parse(row.body) as ContactDomainEvent);
  }

  /** Runs the timers and outbox entries due by `now`; the alarm calls it with the current time. */
  async runDue(now: number): Promise<void> {
    if (this.erased) return;
    await this.journeys.processInbox(now);
    await this.journeys.runDue(now);
  }

  /** A flow email the batched send stage deferred (send-stage/intent-consumer.ts); false when it was dropped. */
  async deferSend(action: SendEmailAction, until: number, handedAt: number): Promise<boolean> {
    if (this.erased) return false;
    return this.journeys.deferSend(action, until, handedAt);
  }

  /** Running enrollments, pending timers and unfinished actions, for the admin contact view. */
  async journeyStatus(): Promise<JourneyStatus> {
    return this.journeys.status();
  }

  /**
   * Ends the contact's running journeys at once (their WordPress account was deleted, or they were merged into
   * another contact): pending reminders are cancelled and nothing more is sent from them. Events and consent
   * stay. Returns how many enrollments ended.
   */
  async endJourneys(reason: string, now = Date.now()): Promise<number> {
    if (this.erased) return 0;
    return this.journeys.exitAll(reason, now);
  }

  /**
   * Right to erasure: drops the timer and every byte this contact's object stores (events, journey
   * state, timers). The D1 side is erased by the caller (contacts/privacy/erasure.ts), which calls this first.
   */
  async erase(): Promise<void> {
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    forgetSchema(this.ctx.storage);
    this.ctx.storage.sql.exec(`CREATE TABLE IF NOT EXISTS ${ERASED_MARKER} (erased_at INTEGER NOT NULL)`);
    this.ctx.storage.sql.exec(`INSERT INTO ${ERASED_MARKER} (erased_at) VALUES (?)`, Date.now());
    this.erased = true;
  }

  override async alarm(): Promise<void> {
    await this.runDue(Date.now());
  }
}
