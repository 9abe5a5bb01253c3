import type { JourneyAction } from './actions';
import type { ContactFacts, DomainEvent } from './events';
import type { Flow } from './flow-schema';
import { emptyJourneyState, flowOfTimer, nextWakeAt, pendingTimers, type JourneyState } from './state';
import { step } from './step';
import { DEFAULT_SMS_WINDOW } from './time';

export type SimulatedEvent = Omit<DomainEvent, 'id' | 'at' | 'properties'> & { id?: string; properties?: DomainEvent['properties'] };
export type Stamped = { at: number; action: JourneyAction };

/**
 * Replays one contact's history through step() the way the ContactAgent does: each domain event
 * goes to every flow, each due timer to its own flow, timers in due order. It is the reference for
 * the DO wiring and the basis of a flow simulator; tests drive presets with it.
 */
export class JourneySimulator {
  state: JourneyState = emptyJourneyState();
  readonly history: Stamped[] = [];
  private counter = 0;

  constructor(
    public flows: Flow[],
    public contact: ContactFacts,
    public now: number,
  ) {}

  /**
   * Delivers a domain event at `at` (default: now), normally after the timers due by then;
   * `timersFirst: false` models an event that wins the race against a due alarm.
   */
  emit(event: SimulatedEvent, at = this.now, { timersFirst = true } = {}): JourneyAction[] {
    if (timersFirst) this.advanceTo(at);
    this.now = Math.max(this.now, at);
    this.counter += 1;
    const full: DomainEvent = { properties: {}, ...event, id: event.id ?? `ev-${this.counter}`, at };
    const actions: JourneyAction[] = [];
    for (const flow of this.flows) actions.push(...this.apply(step(this.state, { event: full, contact: this.contact }, at, flow)));
    return actions;
  }

  /** Runs every timer that comes due up to `until`, each at its own due time (a healthy alarm). */
  advanceTo(until: number): JourneyAction[] {
    const actions: JourneyAction[] = [];
    for (let due = nextWakeAt(this.state); due !== null && due <= until; due = nextWakeAt(this.state)) {
      actions.push(...this.fireDue(Math.max(due, this.now)));
    }
    this.now = Math.max(this.now, until);
    return actions;
  }

  /** The alarm rings only at `at` (the object was evicted or restarted): every overdue timer runs once, now. */
  wakeLate(at: number): JourneyAction[] {
    this.now = at;
    return this.fireDue(at);
  }

  timers() {
    return pendingTimers(this.state);
  }

  private fireDue(at: number): JourneyAction[] {
    this.now = at;
    const actions: JourneyAction[] = [];
    for (const timer of pendingTimers(this.state).filter((t) => t.dueAt <= at)) {
      const flow = this.flows.find((f) => f.id === flowOfTimer(this.state, timer.timerId));
      if (!flow) continue;
      const event = { type: 'timer.fired' as const, timerId: timer.timerId };
      actions.push(...this.apply(step(this.state, { event, contact: this.contact }, at, flow)));
    }
    return actions;
  }

  private apply(result: { state: JourneyState; actions: JourneyAction[] }): JourneyAction[] {
    this.state = result.state;
    for (const action of result.actions) this.history.push({ at: this.now, action });
    return result.actions;
  }
}

/** Everything but bookkeeping: what reaches a customer or a system outside the journey. */
export function effects(actions: JourneyAction[]): Exclude<JourneyAction, { type: 'journey_log' }>[] {
  return actions.filter((a): a is Exclude<JourneyAction, { type: 'journey_log' }> => a.type !== 'journey_log');
}

/** One line per effect (`send_email cart.reminder.1`), for exact assertions and previews. */
export function brief(actions: JourneyAction[]): string[] {
  return effects(actions).map((a) => {
    switch (a.type) {
      case 'send_email':
      case 'send_sms':
      case 'show_prompt':
        return `${a.type} ${a.template}`;
      case 'add_to_audience':
        return `${a.type} ${a.audience}`;
      case 'issue_coupon':
        return `${a.type} ${a.amount}${a.discountType === 'percent' ? '%' : ''}`;
      case 'set_tag':
        return `${a.type} ${a.remove ? '-' : '+'}${a.tag}`;
      case 'set_property':
        return `${a.type} ${a.key}=${String(a.value)}`;
      case 'call_webhook':
        return `${a.type} ${a.url}`;
    }
  });
}

/** A reachable contact with no orders in Paris; previews and tests override what they need. */
export function sampleContact(overrides: Partial<ContactFacts> = {}): ContactFacts {
  return {
    id: 'ct_sample',
    timezone: 'Europe/Paris',
    locale: 'fr',
    reachable: { email: true, sms: true },
    tags: [],
    properties: {},
    stats: { ordersCount: 0, totalSpent: 0 },
    purchasedProductIds: [],
    smsWindow: DEFAULT_SMS_WINDOW,
    ...overrides,
  };
}
