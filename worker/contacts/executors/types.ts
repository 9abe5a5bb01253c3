import type { Db } from '../../db/client';
import { findContact, type Contact } from '../../db/queries/contacts';
import type { Store } from '../../db/queries/stores';
import type { JourneyAction } from '../../journeys/actions';
import type { ContactDomainEvent } from '../domain-events';

/** What every action executor gets: the contact's world at the moment the DO runs the action. */
export type ExecutorContext = {
  env: Env;
  d: Db;
  store: Store;
  contact: Contact;
  now: number;
  /**
   * Set when the contact's own agent runs the action: events about this contact that the action caused (a tag that
   * enters a segment) go to its journeys through here. Calling the agent instead would wait for the very work
   * running the action. Without it (actions run elsewhere), such events are published as usual.
   */
  follow?: (events: ContactDomainEvent[]) => void;
  /**
   * Reads that every send of one batch makes alike (the store's settings, a step's wording, the link-signing key):
   * the batched send stage passes one map per batch, so a hundred sends of one step read and open them once.
   */
  shared?: Map<string, Promise<unknown>>;
};

/** `read()` once per `key` in the context's batch (a failed read is not kept); every time without a batch. */
export function sharedRead<T>(ctx: Pick<ExecutorContext, 'shared'>, key: string, read: () => Promise<T>): Promise<T> {
  const shared = ctx.shared;
  if (!shared) return read();
  let pending = shared.get(key) as Promise<T> | undefined;
  if (!pending) {
    pending = read();
    shared.set(key, pending);
    pending.catch(() => shared.delete(key));
  }
  return pending;
}

/**
 * The contact's row as it is now; in a send-stage batch, once per contact: the stage loads it for the executor and the
 * suppression guard asks again moments later, in the same batch, where nothing writes it.
 */
export function currentContact(ctx: Pick<ExecutorContext, 'd' | 'shared'>, storeId: string, contactId: string): Promise<Contact | undefined> {
  return sharedRead(ctx, `contact:${storeId}:${contactId}`, () => findContact(ctx.d, storeId, contactId));
}

/**
 * How an action ended. `deferred` asks the ContactAgent to run the same action again at `until`
 * (quiet hours, frequency caps); `skipped` is final and recorded with its reason.
 */
export type ExecutorOutcome =
  | { status: 'done' }
  | { status: 'deferred'; until: number; reason: string }
  | { status: 'skipped'; reason: string };

export type Executor<T extends JourneyAction['type']> = (
  ctx: ExecutorContext,
  action: Extract<JourneyAction, { type: T }>,
) => Promise<ExecutorOutcome>;
