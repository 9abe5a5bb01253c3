import type { CartSnapshot, OrderItem, OrderSnapshot, Properties } from './events';

export type ClickedLink = { key?: string; url?: string; nodeId: string };

/** What an enrollment has seen so far; sent along with every message for rendering. */
export type EnrollmentContext = {
  cart?: CartSnapshot;
  order?: OrderSnapshot;
  /** The order line a per-item enrollment is about (replenishment). */
  item?: OrderItem;
  /** `/?add-to-cart=ID&quantity=N` for the item, for one-click re-order links. */
  reorderPath?: string;
  link?: ClickedLink;
  /** Properties of the trigger, then of the last event a wait matched. */
  event?: Properties;
  /** Idempotency keys of coupons issued by this enrollment; the renderer looks their codes up. */
  coupons: string[];
};

/** `quiet_hours`: an SMS held until the contact's local morning; the node runs again when it fires. */
export type Timer = { id: string; dueAt: number; kind: 'wait' | 'timeout' | 'quiet_hours' };

export type Enrollment = {
  id: string;
  flowId: string;
  flowVersion: number;
  triggerId: string;
  /** Set for per-item enrollments (product id), so each product has its own journey. */
  key: string | null;
  enteredAt: number;
  /** The node the enrollment rests on: always a wait or a deferred send_sms. */
  cursor: string;
  /** When the cursor arrived on its node (wait restarts move it forward). */
  cursorAt: number;
  timer: Timer | null;
  context: EnrollmentContext;
  /** Nodes that already produced their action: the (enrollment, node) idempotency keys in use. */
  done: string[];
  converted: boolean;
  /** In the flow's holdout: walks the flow, but no node that reaches the contact or a third party acts. */
  heldOut?: boolean;
  /** The split branch key the contact was assigned (absent before the split, or without one). */
  variant?: string;
};

/** Finished enrollments kept while their conversion window is open. */
export type ClosedEnrollment = {
  id: string;
  flowId: string;
  flowVersion: number;
  enteredAt: number;
  endedAt: number;
  converted: boolean;
};

export type EntryHistory = { count: number; lastAt: number };

/** Everything step() reads and writes for one contact; JSON-serialisable for DO storage. */
export type JourneyState = {
  v: 1;
  /** Counter for deterministic enrollment and timer ids. */
  seq: number;
  active: Enrollment[];
  closed: ClosedEnrollment[];
  /** Entries per flow and trigger node, for re-entry rules. */
  history: Record<string, Record<string, EntryHistory>>;
  /** Recent domain event ids per flow: a redelivered event changes nothing. */
  seen: Record<string, string[]>;
};

export function emptyJourneyState(): JourneyState {
  return { v: 1, seq: 0, active: [], closed: [], history: {}, seen: {} };
}

export type PendingTimer = { timerId: string; dueAt: number; flowId: string; enrollmentId: string };

/** The rows the DO's timers table must hold after a step: replace the table with exactly these. */
export function pendingTimers(state: JourneyState): PendingTimer[] {
  return state.active
    .flatMap((e) => (e.timer ? [{ timerId: e.timer.id, dueAt: e.timer.dueAt, flowId: e.flowId, enrollmentId: e.id }] : []))
    .sort((a, b) => a.dueAt - b.dueAt);
}

/** When the DO alarm should next ring, or null for none. */
export function nextWakeAt(state: JourneyState): number | null {
  return pendingTimers(state)[0]?.dueAt ?? null;
}

/** Which flow a timer belongs to, so the DO steps only that flow. */
export function flowOfTimer(state: JourneyState, timerId: string): string | null {
  return state.active.find((e) => e.timer?.id === timerId)?.flowId ?? null;
}
