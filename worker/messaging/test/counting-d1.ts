/**
 * Counts D1 round trips: each statement run alone and each batch is one. Locally every round trip is a call
 * into the D1 simulator on workerd's one thread, so a count is a cost measure that cannot flake the way a timing would.
 */
export function countingD1(inner: D1Database, log: string[], statements?: string[]): D1Database {
  const sqlOf = new WeakMap<object, string>();
  const wrap = (stmt: D1PreparedStatement, sql: string): D1PreparedStatement => {
    const proxy = new Proxy(stmt, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (typeof value !== 'function') return value;
        if (prop === 'bind') return (...args: unknown[]) => wrap(value.apply(target, args) as D1PreparedStatement, sql);
        if (['run', 'all', 'first', 'raw'].includes(String(prop))) return (...args: unknown[]) => (log.push(sql.slice(0, 140)), statements?.push(sql), value.apply(target, args));
        return value.bind(target);
      },
    });
    sqlOf.set(proxy, sql);
    return proxy;
  };
  return new Proxy(inner, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (prop === 'prepare') return (sql: string) => wrap(target.prepare(sql), sql);
      if (prop === 'batch') return (stmts: D1PreparedStatement[]) => (log.push(`BATCH(${stmts.length})`), statements?.push(...stmts.map((s) => sqlOf.get(s) ?? '')), target.batch(stmts));
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
