import { db, type Db } from '../../db/client';
import { coalescedD1 } from '../../db/coalesced-d1';
import type { Contact } from '../../db/queries/contacts';
import { loadAgentWorld } from '../../db/queries/agent-world';
import type { Store } from '../../db/queries/stores';
import type { JourneyAction, SendEmailAction } from '../../journeys/actions';
import type { ContactFacts, JourneyEvent } from '../../journeys/events';
import type { Flow } from '../../journeys/flow-schema';
import { flowOfTimer, pendingTimers, type JourneyState, type PendingTimer } from '../../journeys/state';
import { exitAllEnrollments } from '../../journeys/exit-all';
import { step } from '../../journeys/step';
import { readContactFactsRow } from '../../db/queries/contact-facts';
import { contactFacts } from './contact-facts';
import type { ContactDomainEvent } from '../domain-events';
import { JourneyKv, type Identity } from './journey-kv';
import { JourneyOutbox } from './journey-outbox';
import { toJourneyEvent } from './journey-events';
import { TimerTable } from './timer-table';
import { ensureSchema } from './storage-schema';
import { journeyStatusOf, type JourneyStatus } from './journey-view';

export type { JourneyStatus } from './journey-view';

const JOURNEY_TIMER_KIND = 'journey';
/** Timers that come due while due timers run (a zero wait) are run in the same call, up to this many rounds. */
const MAX_ROUNDS = 10;
const INBOX_RETRY = 'inbox:retry';
const INBOX_RETRY_MS = 60_000;
/** Events the contact's own actions caused are stepped in the same call, this many rounds deep (a flow tagging back and forth stops here). */
const MAX_FOLLOW_ROUNDS = 3;

/** Records events in the agent's own log inside the caller's transaction; returns those it had not seen. */
export type RecordOwn = (events: ContactDomainEvent[], now: number) => ContactDomainEvent[];

/** `postmark`: the store has a Postmark token, so its emails go through the batched send stage. */
type World = { d: Db; store: Store; contact: Contact; flows: Flow[]; postmark: boolean };

/**
 * The ContactAgent's journey machinery: loads the contact's world from D1, steps every flow,
 * commits state + timers + outbox in one storage transaction, arms the one alarm, then runs the
 * outbox. A store's emails that need nothing else of the run leave for the send stage just before that commit
 * (JourneyOutbox.handOffFirst). All work goes through one serial queue, so an event and an alarm never interleave.
 */
export class JourneyRuntime {
  private readonly sql: SqlStorage;
  private readonly kv: JourneyKv;
  private readonly timers: TimerTable;
  private readonly outbox: JourneyOutbox;
  private serial: Promise<unknown> = Promise.resolve();
  private coalesced: { binding: D1Database; d: Db } | undefined;
  /** Set when an action of the current run handed events back through `follow` (see ExecutorContext). */
  private followed = false;

  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly env: Env,
    private readonly recordOwn: RecordOwn = (events) => events,
  ) {
    this.sql = storage.sql;
    ensureSchema(
      storage,
      ['journey_kv', 'journey_inbox'],
      `CREATE TABLE IF NOT EXISTS journey_kv (k TEXT PRIMARY KEY, v TEXT NOT NULL);
       CREATE TABLE IF NOT EXISTS journey_inbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL);`,
    );
    this.kv = new JourneyKv(this.sql);
    this.timers = new TimerTable(storage);
    this.outbox = new JourneyOutbox(storage, this.timers);
  }

  /**
   * Queues newly recorded events for the journeys; call it in the transaction that records them, so an
   * event is never recorded without being stepped (a failed step leaves it queued for the next call).
   */
  enqueue(events: ContactDomainEvent[]): void {
    const first = events[0];
    if (!first) return;
    this.kv.remember({ storeId: first.storeId, contactId: first.contactId });
    for (const e of events) this.sql.exec('INSERT INTO journey_inbox (body) VALUES (?)', JSON.stringify(e));
  }

  /** Steps every installed flow with each queued event, in order, then runs the resulting actions. */
  processInbox(now: number): Promise<void> {
    return this.exclusive(() => this.retryOnFailure(now, () => this.stepInbox(now)));
  }

  /** Events stay queued when a step fails (D1 unreachable): the alarm comes back for them. */
  private async retryOnFailure(now: number, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (err) {
      this.timers.schedule({ id: INBOX_RETRY, dueAt: now + INBOX_RETRY_MS, kind: 'inbox', payload: '' });
      await this.timers.arm();
      throw err;
    }
  }

  private async stepInbox(now: number, round = 0): Promise<void> {
    const inbox = this.sql.exec<{ seq: number; body: string }>('SELECT seq, body FROM journey_inbox ORDER BY seq').toArray();
    if (inbox.length === 0) {
      this.timers.cancel(INBOX_RETRY);
      return;
    }
    // Read once with the world: the queued events are in D1 already, and nothing below writes to it before the actions.
    const loaded = await this.worldWithFacts();
    if (!loaded) return;
    const { world, facts } = loaded;
    let state = loaded.state;
    const actions: JourneyAction[] = [];
    for (const row of world.flows.length > 0 ? inbox : []) {
      const event = await toJourneyEvent(world.d, world.store, JSON.parse(row.body) as ContactDomainEvent);
      if (!event) continue;
      for (const flow of world.flows) state = this.apply(step(state, { event, contact: facts }, now, flow), actions);
    }
    const last = inbox.at(-1)!.seq;
    await this.commitAndRun(world, state, actions, now, () => {
      this.sql.exec('DELETE FROM journey_inbox WHERE seq <= ?', last);
      this.timers.cancel(INBOX_RETRY);
    }, round);
  }

  /** Runs every timer due by `now` (the alarm passes Date.now(); tests pass a chosen time) and the due outbox. */
  runDue(now: number): Promise<void> {
    return this.exclusive(async () => {
      const loaded = await this.worldWithFacts();
      if (!loaded) return;
      const { world, facts } = loaded;
      let state = loaded.state;
      const actions: JourneyAction[] = [];
      for (const flow of world.flows) state = this.adopt(state, flow, facts, now, actions);
      for (let round = 0; round < MAX_ROUNDS; round++) {
        const due = pendingTimers(state).filter((t) => t.dueAt <= now);
        if (due.length === 0) break;
        for (const timer of due) state = this.fire(state, timer, world.flows, facts, now, actions);
      }
      await this.commitAndRun(world, state, actions, now);
    });
  }

  /**
   * Ends every running enrollment with `reason` and drops the sends still waiting in the outbox (deferred to
   * quiet hours, or retrying): nothing more goes out from what was running. Returns how many enrollments ended.
   */
  exitAll(reason: string, now: number): Promise<number> {
    return this.exclusive(async () => {
      const { identity, state: running } = this.kv.read();
      const world = identity && (await this.world(identity));
      if (!world) return 0;
      const { state, actions } = exitAllEnrollments(running, now, reason);
      await this.commitAndRun(world, state, actions, now, () => {
        this.outbox.dropEffects();
        this.kv.markEndedAll(now);
      });
      return actions.length;
    });
  }

  /**
   * The batched send stage deferred an email this agent handed off at `handedAt`: it waits in the outbox for
   * `until` as if deferred here. Dropped when every journey was ended since (exitAll drops waiting sends too).
   */
  deferSend(action: SendEmailAction, until: number, handedAt: number): Promise<boolean> {
    return this.exclusive(async () => {
      const ended = this.kv.endedAllAt();
      if (ended !== null && ended >= handedAt) return false;
      this.storage.transactionSync(() => this.outbox.putDeferred(action, until));
      await this.timers.arm();
      return true;
    });
  }

  status(): JourneyStatus {
    return journeyStatusOf(this.kv.read().state, this.outbox.list());
  }

  /**
   * Moves enrollments onto the flow's live version as soon as the agent wakes, not only when their
   * own timer rings: a shortened wait then takes effect at once (re-based on now, never past due).
   * The timer id matches nothing, so step() only migrates, or ends enrollments of a disabled flow.
   */
  private adopt(state: JourneyState, flow: Flow, facts: ContactFacts, now: number, out: JourneyAction[]): JourneyState {
    const stale = state.active.some((e) => e.flowId === flow.id && (e.flowVersion !== flow.version || !flow.enabled));
    if (!stale) return state;
    return this.apply(step(state, { event: { type: 'timer.fired', timerId: '' }, contact: facts }, now, flow), out);
  }

  private fire(state: JourneyState, timer: PendingTimer, flows: Flow[], facts: ContactFacts, now: number, out: JourneyAction[]): JourneyState {
    const flow = flows.find((f) => f.id === flowOfTimer(state, timer.timerId));
    if (!flow) return state;
    const event: JourneyEvent = { type: 'timer.fired', timerId: timer.timerId };
    return this.apply(step(state, { event, contact: facts }, now, flow), out);
  }

  private apply(result: { state: JourneyState; actions: JourneyAction[] }, out: JourneyAction[]): JourneyState {
    out.push(...result.actions);
    return result.state;
  }

  private async commitAndRun(world: World, state: JourneyState, actions: JourneyAction[], now: number, also?: () => void, round = 0): Promise<void> {
    // The contact as read when this turn began: the turn is serial and short, and whatever changes the contact
    // meanwhile also records an event here, stepped in the next turn with a fresh read. Guardrails and the send
    // stage read consent and status from D1 themselves.
    const follow = (events: ContactDomainEvent[]) => this.follow(events, now);
    const ctx = { env: this.env, d: world.d, store: world.store, contact: world.contact, now, follow };
    const left = world.postmark ? await this.outbox.handOffFirst(ctx, actions) : [];
    const kept = left.length > 0 ? actions.filter((a) => !left.includes(a)) : actions;
    this.storage.transactionSync(() => {
      also?.();
      this.kv.saveState(state);
      this.syncTimers(state, world.flows);
      this.outbox.append(kept);
    });
    await this.timers.arm();
    const armed = this.timers.changes;
    // Emails handed off first leave an outbox that was empty: there is nothing to drain unless the run kept actions.
    if (left.length === 0 || kept.length > 0) await this.outbox.drain(ctx, world.postmark);
    // Armed again only if the drain moved a timer (a send deferred or retried, a postponed entry finished).
    if (this.timers.changes !== armed) await this.timers.arm();
    await this.stepFollowed(now, round);
  }

  /** Events an action caused about this contact: recorded and queued like any other, stepped once the run is over. */
  private follow(events: ContactDomainEvent[], now: number): void {
    this.storage.transactionSync(() => this.enqueue(this.recordOwn(events, now)));
    this.followed = true;
  }

  /** Steps what the run's actions queued; past the last round it waits for the inbox retry timer. */
  private async stepFollowed(now: number, round: number): Promise<void> {
    if (!this.followed) return;
    this.followed = false;
    if (round < MAX_FOLLOW_ROUNDS) return this.stepInbox(now, round + 1);
    this.timers.schedule({ id: INBOX_RETRY, dueAt: now + INBOX_RETRY_MS, kind: 'inbox', payload: '' });
    await this.timers.arm();
  }

  /**
   * The timers table holds exactly pendingTimers(state), next to the outbox's own retry rows. A
   * timer of a flow that is no longer installed could never run, so it would only ring forever.
   */
  private syncTimers(state: JourneyState, flows: Flow[]): void {
    const pending = pendingTimers(state).filter((t) => flows.some((f) => f.id === t.flowId));
    const wanted = new Set(pending.map((t) => t.timerId));
    for (const row of this.timers.list()) if (row.kind === JOURNEY_TIMER_KIND && !wanted.has(row.id)) this.timers.cancel(row.id);
    for (const t of pending) this.timers.schedule({ id: t.timerId, dueAt: t.dueAt, kind: JOURNEY_TIMER_KIND, payload: t.flowId });
  }

  /** The store, contact and live flows; null when the contact or store no longer exists. */
  private async world(id: Identity): Promise<World | null> {
    return this.opened(this.db(), await loadAgentWorld(this.db(), id.storeId, id.contactId));
  }

  /**
   * The world and the contact's facts in one D1 round trip (the facts are read by ids, so they need not wait for
   * the contact's row): a thousand reminders due at once wake a thousand agents, each paying its round trips.
   * The journey state comes with the identity (JourneyKv.read), read before that round trip: the caller holds the
   * serial queue, and only its own turn writes the state.
   */
  private async worldWithFacts(): Promise<{ world: World; facts: ContactFacts; state: JourneyState } | null> {
    const { identity: id, state } = this.kv.read();
    if (!id) return null;
    const d = this.db();
    const [loaded, reads] = await Promise.all([loadAgentWorld(d, id.storeId, id.contactId), readContactFactsRow(d, id.storeId, id.contactId)]);
    const world = await this.opened(d, loaded);
    return world ? { world, facts: contactFacts(reads, world.store, world.contact), state } : null;
  }

  private async opened(d: Db, loaded: Awaited<ReturnType<typeof loadAgentWorld>>): Promise<World | null> {
    const { store, contact, flows, postmark } = loaded;
    if (!store || !contact) {
      this.storage.transactionSync(() => {
        this.outbox.clear();
        this.timers.cancelPrefix('');
        this.sql.exec('DELETE FROM journey_inbox');
      });
      await this.timers.arm();
      return null;
    }
    return { d, store, contact, flows, postmark };
  }

  /** The contact's facts are read by independent queries at once: coalesced, they cost one D1 round trip. */
  private db(): Db {
    if (this.coalesced?.binding !== this.env.DB) this.coalesced = { binding: this.env.DB, d: db(coalescedD1(this.env.DB)) };
    return this.coalesced.d;
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.serial.then(work, work);
    this.serial = run.catch(() => undefined);
    return run;
  }
}
