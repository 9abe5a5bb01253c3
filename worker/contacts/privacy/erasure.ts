import type { Db } from '../../db/client';
import type { Contact } from '../../db/queries/contacts';
import { eraseContactRows, exportContactRows, orderIdsOf, sweepAddress } from '../../db/queries/privacy';
import { tombstones, type TombstoneRef } from '../../db/queries/tombstones';
import type { Store } from '../../db/queries/stores';
import { contactAgentName } from '../domain-events';

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Exact matches only: `ann@x.io` must not match inside `joann@x.io` or `ann@x.iota`. */
function needles(contact: Contact): { needles: RegExp[]; likes: string[] } {
  const out = { needles: [] as RegExp[], likes: [] as string[] };
  if (contact.email) {
    out.needles.push(new RegExp(`(?<![A-Za-z0-9._%+-])${escapeRegExp(contact.email)}(?![A-Za-z0-9-]|\\.[A-Za-z0-9])`, 'i'));
    out.likes.push(contact.email);
  }
  const digits = contact.phone?.replace(/\D/g, '');
  if (digits && digits.length >= 6) {
    out.needles.push(new RegExp(`(?<![0-9])\\+?${digits}(?![0-9])`));
    out.likes.push(digits);
  }
  return out;
}

export type ContactExport = { exportedAt: string; store: { id: string; name: string }; contact: Contact; data: Record<string, unknown[]> };

/** Right of access: the profile and every row of every table keyed by the contact (D1 is the system of record). */
export async function exportContact(d: Db, store: Store, contact: Contact, now: number): Promise<ContactExport> {
  return {
    exportedAt: new Date(now).toISOString(),
    store: { id: store.id, name: store.name },
    contact,
    data: await exportContactRows(d, store.id, contact.id),
  };
}

export type ErasureReport = { removed: Record<string, number> };

/**
 * Right to erasure. Order matters for a retry after a failure: raw copies of the address go first,
 * then the ContactAgent's storage, then every keyed row, the contact, the suppression hashes and the
 * audit entry in one batch. Until that batch lands the contact still exists, so the request can be
 * repeated; after it, a repeat is a 404 (there is nothing left to erase).
 */
export async function eraseContact(env: Env, d: Db, store: Store, contact: Contact, requestedBy: string, now: number): Promise<ErasureReport> {
  // Tombstones keep it erased: a late or resent webhook about these orders, this customer or these addresses,
  // dated before now, is refused (ingest/woo/woo-erased.ts). Read first: the sweep may take order rows with it.
  const refs: TombstoneRef[] = [
    ...(contact.email ? [{ kind: 'email' as const, value: contact.email }] : []),
    ...(contact.phone ? [{ kind: 'phone' as const, value: contact.phone }] : []),
    ...(contact.wooCustomerId ? [{ kind: 'customer' as const, value: contact.wooCustomerId }] : []),
    ...(await orderIdsOf(d, store.id, contact.id)).map((id) => ({ kind: 'order' as const, value: id })),
  ];
  const suppress = await tombstones(store.id, refs);
  const found = needles(contact);
  const swept = await sweepAddress(d, { storeId: store.id, contactId: contact.id }, found.needles, found.likes);
  await env.CONTACT_AGENT.getByName(contactAgentName(store.id, contact.id)).erase();
  return { removed: await eraseContactRows(d, { storeId: store.id, contactId: contact.id }, suppress, { requestedBy, now, swept }) };
}
