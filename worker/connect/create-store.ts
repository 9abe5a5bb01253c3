import { installPresetFlows } from '../contacts/runtime/flow-presets';
import type { Db } from '../db/client';
import { findStore, insertStore, replaceConnectToken, type Store } from '../db/queries/stores';
import { AppError } from '../errors';
import { sha256Hex } from '../lib/hmac';
import { base64UrlEncode } from '../lib/tokens';
import { encodeConnectCode } from './connect-code';

export type NewStoreInput = {
  id: string;
  name: string;
  siteUrl?: string;
  allowedOrigins?: string[];
  timezone?: string;
  locale?: 'fr' | 'en';
  currency?: string;
  adminEmail?: string;
};

export function randomToken(prefix: string, bytes: number): string {
  return `${prefix}${base64UrlEncode(crypto.getRandomValues(new Uint8Array(bytes)))}`;
}

/** Creates a store with its preset flows; the connect token is returned once, only its SHA-256 is kept. */
export async function createStore(d: Db, input: NewStoreInput, now: number): Promise<{ store: Store; connectToken: string }> {
  const connectToken = randomToken('nsc_', 32);
  const siteOrigin = input.siteUrl ? [new URL(input.siteUrl).origin] : [];
  const row = {
    id: input.id,
    name: input.name,
    siteUrl: input.siteUrl ?? null,
    // Until the plugin connects and hands over its own, nothing knows this secret.
    webhookSecret: randomToken('', 36),
    siteKey: randomToken('pk_', 18),
    connectTokenHash: await sha256Hex(connectToken),
    allowedOrigins: input.allowedOrigins?.map((o) => new URL(o).origin) ?? siteOrigin,
    timezone: input.timezone,
    locale: input.locale,
    currency: input.currency,
    adminEmail: input.adminEmail ?? null,
    createdAt: now,
    updatedAt: now,
  };
  if (!(await insertStore(d, row))) throw new AppError(409, 'conflict', `Store ${input.id} already exists`);
  await installPresetFlows(d, input.id, now);
  const store = await findStore(d, input.id);
  if (!store) throw new Error(`store ${input.id} vanished after insert`);
  return { store, connectToken };
}

/** A fresh connect code for an existing store (the owner lost it, or reconnects): the old token stops working. */
export async function newConnectCode(d: Db, store: Store, workerUrl: string, now: number): Promise<string> {
  const connectToken = randomToken('nsc_', 32);
  await replaceConnectToken(d, store.id, await sha256Hex(connectToken), now);
  return encodeConnectCode({ workerUrl, storeId: store.id, connectToken });
}
