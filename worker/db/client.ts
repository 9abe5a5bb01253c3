import { drizzle, type DrizzleD1Database } from 'drizzle-orm/d1';
import * as schema from './schema';

export type Db = DrizzleD1Database<typeof schema>;

/** Building a drizzle instance walks the whole schema (~50 µs): one per binding object, not one per request. */
const instances = new WeakMap<D1Database, Db>();

export function db(d1: D1Database): Db {
  let instance = instances.get(d1);
  if (!instance) {
    instance = drizzle(d1, { schema });
    instances.set(d1, instance);
  }
  return instance;
}
