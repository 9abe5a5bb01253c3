import { env } from 'cloudflare:test';
import { contactAgentName } from '../contacts/domain-events';
import { db } from '../db/client';
import { appendConsents } from '../db/queries/consents';
import { findOrCreateContactByEmail } from '../db/queries/contacts';
import { installFlows } from '../db/queries/flows';
import { upsertStore } from '../db/queries/stores';
import { Flow, type FlowInput } from '../journeys/flow-schema';
import { middayZone } from './clock';
import { completeSender } from './sender';

const HOUR = 3_600_000;

/** An enabled test flow started by `customer.created` at node `start`; `nodes` come after the trigger. */
export function customerFlow(id: string, holdoutPercent: number, first: string, nodes: FlowInput['nodes']): Flow {
  return Flow.parse({
    schemaVersion: 1,
    id,
    version: 1,
    name: id,
    enabled: true,
    holdoutPercent,
    nodes: [{ type: 'trigger', id: 'start', on: { kind: 'event', event: 'customer.created' }, next: first }, ...nodes],
  } satisfies FlowInput);
}

/** A store whose clock shows midday at `now` (no quiet hours in the way), with `flows` installed. */
export async function seedStoreWithFlows(storeId: string, flows: Flow[], now: number): Promise<void> {
  await upsertStore(db(env.DB), {
    id: storeId, name: 'Shop', siteUrl: 'https://shop.example', webhookSecret: `whsec_${storeId}_0123456789`, siteKey: `pk_${storeId}`,
    timezone: middayZone(now), createdAt: 1, updatedAt: 1,
  });
  // The flows under test send promotional email: the store has the sender and address that requires.
  await completeSender(db(env.DB), storeId);
  await installFlows(db(env.DB), storeId, flows, now);
}

/**
 * Contacts get random ids, so assignment tests make contacts (with email consent) until `wanted` accepts one.
 * `who` keeps the addresses of two searches apart.
 */
export async function consentingContactWhere(storeId: string, who: string, now: number, wanted: (contactId: string) => boolean): Promise<string> {
  const d = db(env.DB);
  for (let i = 0; i < 60; i++) {
    const { contact } = await findOrCreateContactByEmail(d, storeId, `${who}${i}@${storeId}.example`, now);
    if (!wanted(contact.id)) continue;
    await appendConsents(d, [{ storeId, contactId: contact.id, channel: 'email', purpose: 'marketing', granted: true, source: 'checkout', occurredAt: now - HOUR }]);
    return contact.id;
  }
  throw new Error(`no contact for ${who}`);
}

/** Records `customer.created` on the contact's agent at `at` (the journeys start there) and returns the agent. */
export async function enterCustomer(storeId: string, contactId: string, at: number) {
  const agent = env.CONTACT_AGENT.getByName(contactAgentName(storeId, contactId));
  await agent.recordEvents([{ type: 'customer.created', id: `cc-${contactId}`, storeId, contactId, occurredAt: at, wooCustomerId: 1 }], at);
  return agent;
}
