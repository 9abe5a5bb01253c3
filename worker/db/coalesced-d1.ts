type Method = 'all' | 'run' | 'raw' | 'first';
/** Enough for the paths resumed by one batch's results to reach their next statement (drizzle's own awaits included). */
const FLUSH_AFTER_MICROTASKS = 64;

async function afterMicrotasks(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await undefined;
}
type Waiting = { stmts: D1PreparedStatement[]; resolve: (results: D1Result[]) => void; reject: (err: unknown) => void };

/**
 * Output column names of a SELECT, or null when they cannot be told apart from the SQL alone. A batched
 * statement comes back as objects keyed by column name, so two columns of one name would be lost where
 * `raw()` on its own keeps both; such statements (joins of two `id`s, `select *`) run on their own.
 */
function distinctColumns(sql: string): boolean {
  let known = distinct.get(sql);
  if (known === undefined) {
    if (distinct.size >= SQL_KEPT) distinct.clear();
    distinct.set(sql, (known = columnsApart(sql)));
  }
  return known;
}

/** Verdicts per SQL text: a send run asks about the same few statements thousands of times. */
const distinct = new Map<string, boolean>();
const SQL_KEPT = 500;

/** Top-level items of a SELECT's column list (commas and FROM inside parentheses or quotes are not theirs). */
function selectList(sql: string, from: number): string[] {
  const items: string[] = [];
  const fromKeyword = /\s+from\s/iy;
  let depth = 0;
  let start = from;
  let quote: string | null = null;
  for (let i = from; i < sql.length; i++) {
    const ch = sql[i]!;
    if (quote) {
      if (ch === quote) quote = null;
      continue;
    }
    if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (depth === 0 && ch === ',') {
      items.push(sql.slice(start, i).trim());
      start = i + 1;
    } else if (depth === 0) {
      fromKeyword.lastIndex = i;
      if (fromKeyword.test(sql)) return [...items, sql.slice(start, i).trim()];
    }
  }
  return [...items, sql.slice(start).trim()];
}

function columnsApart(sql: string): boolean {
  const head = /^\s*select\s+(?:distinct\s+)?/i.exec(sql);
  if (!head) return true;
  const names = selectList(sql, head[0].length).map((item) => {
    // An alias names the column whatever it is (a subquery included).
    const alias = /\s+as\s+"?([^"\s]+)"?$/i.exec(item);
    if (alias) return alias[1]!;
    if (item === '*' || item.endsWith('.*') || /\bselect\b/i.test(item)) return null;
    const column = /^(?:"[^"]+"\.)?"([^"]+)"$/.exec(item);
    return column ? column[1]! : item;
  });
  return !names.includes(null) && new Set(names).size === names.length;
}

/**
 * A D1 binding that sends the statements issued together (concurrent code paths, e.g. the sends of a
 * queue batch each running the same guardrails) to D1 as one `batch()`: one round trip instead of one per
 * statement. Callers see the result `all`, `run`, `raw` and `first` would have given them, so the code that
 * issues them is the code the single path runs, unchanged. A batch is one transaction: when it fails, each
 * waiting caller's statements run again on their own, so an error reaches only the caller that caused it.
 */
export function coalescedD1(inner: D1Database): D1Database {
  let waiting: Waiting[] = [];

  async function flush(): Promise<void> {
    const group = waiting;
    waiting = [];
    if (group.length === 1) return runAlone(group[0]!);
    try {
      const results = await inner.batch(group.flatMap((w) => w.stmts));
      let at = 0;
      for (const w of group) {
        w.resolve(results.slice(at, at + w.stmts.length));
        at += w.stmts.length;
      }
    } catch {
      await Promise.all(group.map(runAlone));
    }
  }

  async function runAlone(w: Waiting): Promise<void> {
    try {
      w.resolve(w.stmts.length === 1 ? [await w.stmts[0]!.all()] : await inner.batch(w.stmts));
    } catch (err) {
      w.reject(err);
    }
  }

  function enqueue(stmts: D1PreparedStatement[]): Promise<D1Result[]> {
    return new Promise((resolve, reject) => {
      // Concurrent paths issue their next statement within a few microtasks of each other; a timer would wait
      // for the event loop to go idle, which under load (a thousand agents waking) it rarely does.
      if (waiting.length === 0) void afterMicrotasks(FLUSH_AFTER_MICROTASKS).then(flush);
      waiting.push({ stmts, resolve, reject });
    });
  }

  const unwrap = (s: D1PreparedStatement): D1PreparedStatement => (s instanceof Statement ? s.inner : s);

  class Statement {
    constructor(
      readonly inner: D1PreparedStatement,
      private readonly sql: string,
    ) {}
    bind(...values: unknown[]): Statement {
      return new Statement(this.inner.bind(...values), this.sql);
    }
    private async call(method: Method): Promise<D1Result> {
      return (await enqueue([this.inner]))[0]!;
    }
    async all(): Promise<D1Result> {
      return this.call('all');
    }
    async run(): Promise<D1Result> {
      return this.call('run');
    }
    async first(column?: string): Promise<unknown> {
      const row = (await this.call('first')).results[0] as Record<string, unknown> | undefined;
      if (column === undefined) return row ?? null;
      return row?.[column] ?? null;
    }
    async raw(options?: { columnNames?: boolean }): Promise<unknown[][]> {
      if (options?.columnNames || !distinctColumns(this.sql)) return this.inner.raw(options as { columnNames: true });
      return ((await this.call('raw')).results as Record<string, unknown>[]).map((row) => Object.values(row));
    }
  }

  const facade = {
    prepare: (sql: string) => new Statement(inner.prepare(sql), sql) as unknown as D1PreparedStatement,
    batch: async <T>(stmts: D1PreparedStatement[]) => (await enqueue(stmts.map(unwrap))) as D1Result<T>[],
    exec: (sql: string) => inner.exec(sql),
    withSession: (...args: Parameters<D1Database['withSession']>) => inner.withSession(...args),
    dump: () => inner.dump(),
  };
  return facade as unknown as D1Database;
}
