import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { messageVersions, products } from '../schema';
import type { ProductFacts } from './order-history';
import { newId } from '../../lib/ids';

export type MessageVersion = typeof messageVersions.$inferSelect;
export type MessageStepKey = { storeId: string; flowId: string; stepId: string; lang: 'en' | 'fr' };
export type NewMessageVersion = MessageStepKey &
  Pick<MessageVersion, 'channel' | 'templateId' | 'isDefault' | 'subject' | 'preheader' | 'html' | 'text'> & { blocks?: unknown[] | null };

const stepIs = (k: MessageStepKey) =>
  and(eq(messageVersions.storeId, k.storeId), eq(messageVersions.flowId, k.flowId), eq(messageVersions.stepId, k.stepId), eq(messageVersions.lang, k.lang));

/** The live wording of a step in one language (its highest version), as a query another batch can carry. */
export function liveMessageVersionQuery(d: Db, key: MessageStepKey) {
  return d.select().from(messageVersions).where(stepIs(key)).orderBy(desc(messageVersions.version)).limit(1);
}

/** The live wording of a step in one language: its highest version, if the owner ever saved one. */
export async function liveMessageVersion(d: Db, key: MessageStepKey): Promise<MessageVersion | undefined> {
  return liveMessageVersionQuery(d, key).get();
}

/** Every version of every step of a flow, newest first. */
export async function listMessageVersions(d: Db, storeId: string, flowId: string): Promise<MessageVersion[]> {
  return d
    .select()
    .from(messageVersions)
    .where(and(eq(messageVersions.storeId, storeId), eq(messageVersions.flowId, flowId)))
    .orderBy(desc(messageVersions.version))
    .all();
}

/**
 * Appends the next version. Two saves racing for the same number meet the unique index; the
 * loser reads the new maximum and tries once more, so neither edit is lost.
 */
export async function appendMessageVersion(d: Db, v: NewMessageVersion, now: number): Promise<MessageVersion> {
  for (let attempt = 0; ; attempt++) {
    const live = await liveMessageVersion(d, v);
    const row = { ...v, id: newId('msv'), version: (live?.version ?? 0) + 1, createdAt: now };
    const saved = await d.insert(messageVersions).values(row).onConflictDoNothing().returning().get();
    if (saved) return saved;
    if (attempt >= 2) throw new Error(`message version of ${v.flowId}/${v.stepId} kept conflicting`);
  }
}

/** A few live products with a picture first, for previews drawn with the store's own catalogue. */
export async function previewProducts(d: Db, storeId: string, limit: number): Promise<ProductFacts[]> {
  return d
    .select()
    .from(products)
    .where(and(eq(products.storeId, storeId), isNull(products.deletedAt)))
    .orderBy(sql`${products.imageUrl} is null`, desc(products.updatedAt))
    .limit(limit)
    .all();
}
