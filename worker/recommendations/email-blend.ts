import type { Db } from '../db/client';
import { bestsellers, boughtTogether, personal } from './builders';

export type BlendPage = { exclude: number[]; limit: number; offset: number };

/**
 * What an email recommends from the builders: the contact's personal blend, then what is bought
 * with the order's items, then the store's bestsellers, without repeats or excluded products.
 * `offset` skips the picks of the enrollment's earlier emails; when too few are left, it starts over.
 */
export async function emailBlend(d: Db, storeId: string, contactId: string, seeds: number[], page: BlendPage): Promise<number[]> {
  const want = page.limit + page.offset;
  const chosen: number[] = [];
  const taken = () => [...page.exclude, ...chosen];
  const sources = [
    () => personal(d, storeId, contactId, want, { exclude: taken() }),
    () => boughtTogether(d, storeId, seeds, want, { exclude: taken() }),
    () => bestsellers(d, storeId, undefined, want, { exclude: taken() }),
  ];
  for (const source of sources) {
    if (chosen.length >= want) break;
    for (const p of await source()) if (chosen.length < want && !chosen.includes(p.id)) chosen.push(p.id);
  }
  const paged = chosen.slice(page.offset, want);
  return paged.length > 0 ? paged : chosen.slice(0, page.limit);
}
