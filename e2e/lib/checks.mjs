// A deliberately small runner: named checks, one line each, and the closing `N passed, N failed`.
export function createRunner() {
  const results = [];
  async function check(name, fn) {
    const started = Date.now();
    try {
      await fn();
      results.push({ name, ok: true });
      console.log(`  ✓ ${name} (${Date.now() - started} ms)`);
    } catch (e) {
      results.push({ name, ok: false, error: e });
      console.log(`  ✗ ${name}\n      ${String(e?.stack ?? e).split('\n').slice(0, 6).join('\n      ')}`);
    }
  }
  function summary() {
    const passed = results.filter((r) => r.ok).length;
    const failed = results.length - passed;
    return { passed, failed, line: `${passed} passed, ${failed} failed` };
  }
  return { check, summary };
}

export function assert(condition, message) {
  if (!condition) throw new Error(message);
}

export function assertEqual(actual, expected, what) {
  const a = JSON.stringify(actual);
  const b = JSON.stringify(expected);
  if (a !== b) throw new Error(`${what}: expected ${b}, got ${a}`);
}

/** Polls until `fn` stops throwing; rethrows its last error after the timeout. */
export async function eventually(fn, { timeoutMs = 20_000, intervalMs = 250 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }
}

/** `check` that remembers whether one of its checks failed (a module then keeps its worker's log, and may stop early). */
export function trackFailures(check) {
  const tracked = { failed: false };
  tracked.check = (name, fn) =>
    check(name, async () => {
      try {
        await fn();
      } catch (e) {
        tracked.failed = true;
        throw e;
      }
    });
  return tracked;
}
