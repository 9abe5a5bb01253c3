import type { Db } from '../db/client';
import { purchasedProductIds, type ProductFacts } from '../db/queries/order-history';
import { pairsOf } from '../db/queries/rec-counts';
import {
  affinityList,
  categoriesNamed,
  categoryAffinity,
  categoryList,
  interestsOf,
  LIST_SIZE,
  newArrivals,
  recentlyViewed,
  showableProducts,
  topList,
} from '../db/queries/rec-lists';
import { cosineNeighbours, Scores } from './scores';

/** Pairs bought together fewer times than this say nothing yet. */
export const MIN_SUPPORT = 2;

export type Exclusions = { exclude?: number[] };

/** Showable products for ranked ids, leaving out `exclude`, at most `limit`. */
async function pick(d: Db, storeId: string, ranked: number[], limit: number, exclude: number[] = []): Promise<ProductFacts[]> {
  const skip = new Set(exclude);
  const shown = await showableProducts(d, storeId, ranked.filter((id) => !skip.has(id)).slice(0, limit + 30));
  return shown.slice(0, limit);
}

/** Products most often bought with the seeds (cosine of their order sets, summed over seeds), seeds left out. */
export async function boughtTogether(d: Db, storeId: string, seeds: number[], limit: number, opts: Exclusions = {}): Promise<ProductFacts[]> {
  const scores = cosineNeighbours(await pairsOf(d, storeId, seeds, MIN_SUPPORT));
  return pick(d, storeId, scores.ranked(), limit, [...seeds, ...(opts.exclude ?? [])]);
}

/** The store's (or a category's) bestsellers of the trailing 30 days, as last rebuilt. */
export async function bestsellers(d: Db, storeId: string, category: number | undefined, limit: number, opts: Exclusions = {}): Promise<ProductFacts[]> {
  const ids = await topList(d, storeId, category === undefined ? 'bestsellers' : categoryList(category));
  return pick(d, storeId, ids, limit, opts.exclude);
}

export async function arrivals(d: Db, storeId: string, category: number | undefined, limit: number): Promise<ProductFacts[]> {
  return newArrivals(d, storeId, category, limit);
}

export async function viewed(d: Db, storeId: string, who: { visitorId?: string; contactId?: string }, limit: number): Promise<ProductFacts[]> {
  return pick(d, storeId, await recentlyViewed(d, storeId, who, limit + 20), limit);
}

/** Weights of the blend's sources: co-purchase neighbours lead, the rest orders what they leave open. */
const WEIGHT = { viewed: 0.3, interest: 0.5, affinity: 0.4, bestseller: 0.05 } as const;

/** The rank-decayed contribution of a list: first place gets the whole weight. */
function addList(scores: Scores, ids: number[], weight: number): void {
  ids.forEach((id, rank) => scores.add(id, weight * (1 - rank / LIST_SIZE)));
}

function interleave(lists: number[][]): number[] {
  const longest = Math.max(0, ...lists.map((l) => l.length));
  return Array.from({ length: longest }, (_, i) => lists.flatMap((l) => (i < l.length ? [l[i]!] : []))).flat();
}

async function interestLists(d: Db, storeId: string, contactId: string): Promise<number[][]> {
  const keys = await interestsOf(d, storeId, contactId);
  const lists: number[][] = [];
  if (keys.includes('new')) lists.push((await newArrivals(d, storeId, undefined, 20)).map((p) => p.id));
  if (keys.includes('gifts')) lists.push(await topList(d, storeId, 'bestsellers', 20));
  for (const category of await categoriesNamed(d, storeId, keys)) lists.push(await topList(d, storeId, categoryList(category), 20));
  return lists;
}

/**
 * A known contact's blend: neighbours of what they bought, what they viewed, their zero-party
 * interests, the bestsellers of the categories they buy from, then the store's bestsellers;
 * never what they already bought, never out of stock.
 */
export async function personal(d: Db, storeId: string, contactId: string, limit: number, opts: Exclusions = {}): Promise<ProductFacts[]> {
  const bought = await purchasedProductIds(d, storeId, contactId);
  const scores = cosineNeighbours(await pairsOf(d, storeId, bought, MIN_SUPPORT));
  addList(scores, await recentlyViewed(d, storeId, { contactId }, 10), WEIGHT.viewed);
  for (const list of await interestLists(d, storeId, contactId)) addList(scores, list, WEIGHT.interest);
  // The favourite categories take turns, so one category does not fill the whole list.
  const favourites = (await categoryAffinity(d, storeId, bought)).slice(0, 3);
  const lists = await Promise.all(favourites.map((c) => topList(d, storeId, affinityList(c.id), 8)));
  addList(scores, interleave(lists.map((l) => l.filter((id) => !bought.includes(id)))), WEIGHT.affinity);
  addList(scores, await topList(d, storeId, 'bestsellers'), WEIGHT.bestseller);
  return pick(d, storeId, scores.ranked(), limit, [...bought, ...(opts.exclude ?? [])]);
}
