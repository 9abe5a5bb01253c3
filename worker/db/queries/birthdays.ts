import { and, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { contacts } from '../schema';

export type BirthdayContact = { id: string; birthday: string; timezone: string | null };

/** Active contacts whose birthday (`YYYY-MM-DD`) falls on one of the given `MM-DD` days. */
export async function contactsWithBirthday(d: Db, storeId: string, monthDays: string[], limit: number): Promise<BirthdayContact[]> {
  if (monthDays.length === 0) return [];
  const rows = await d
    .select({ id: contacts.id, birthday: contacts.birthday, timezone: contacts.timezone })
    .from(contacts)
    .where(
      and(
        eq(contacts.storeId, storeId),
        eq(contacts.status, 'active'),
        isNotNull(contacts.birthday),
        inArray(sql<string>`substr(${contacts.birthday}, 6, 5)`, monthDays),
      ),
    )
    .limit(limit)
    .all();
  return rows.flatMap((r) => (r.birthday ? [{ id: r.id, birthday: r.birthday, timezone: r.timezone }] : []));
}
