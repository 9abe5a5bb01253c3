/**
 * A Durable Object's own tables and indexes, read once per object instance. Agents are rebuilt every time a
 * thousand reminders wake them, and each constructor prepared six `CREATE … IF NOT EXISTS` statements (five tables,
 * an index) that changed nothing after the first wake: one `sqlite_master` read now tells which are needed.
 */
const known = new WeakMap<DurableObjectStorage, Set<string>>();

export function schemaNames(storage: DurableObjectStorage): Set<string> {
  let names = known.get(storage);
  if (!names) {
    const rows = storage.sql.exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type IN ('table', 'index')").toArray();
    known.set(storage, (names = new Set(rows.map((r) => r.name))));
  }
  return names;
}

/** Runs `ddl` (its statements say IF NOT EXISTS, so running it when not needed is harmless) unless all `names` exist. */
export function ensureSchema(storage: DurableObjectStorage, names: string[], ddl: string): void {
  const existing = schemaNames(storage);
  if (names.every((name) => existing.has(name))) return;
  storage.sql.exec(ddl);
  for (const name of names) existing.add(name);
}

/** After `deleteAll()`: the next read of the schema sees what is really there. */
export function forgetSchema(storage: DurableObjectStorage): void {
  known.delete(storage);
}
