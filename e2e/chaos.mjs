// `npm run chaos`: the reliability suite. One `wrangler dev` of its own (killed with SIGKILL and restarted on the
// same state in two scenarios), a local Postmark fake behind a fault-injecting proxy, and these scenarios:
// replays and out-of-order deliveries of every WooCommerce capture, a concurrent identify flood, erasure
// followed by a stale redelivery, provider faults, kill -9 during sends and during timers, then ~2,000
// fuzzed requests across every route. It prints one table (requests, 5xx, duplicates, lost, other) and
// exits 1 on any 5xx, duplicate, loss or other failure.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './lib/local-worker.mjs';
import { startPostmarkFake } from './lib/postmark-fake.mjs';
import { startFaultProxy } from './chaos/fault-proxy.mjs';
import { FUZZ_STORE, fuzzScenario } from './chaos/fuzz.mjs';
import { countingFetch, createTally, startChaosWorker } from './chaos/harness.mjs';
import { adminClient } from './lib/journey-kit.mjs';
import { ERASE_STORE, erasureScenario, identifyFloodScenario } from './chaos/identity.mjs';
import { REPLAY_STORES, replayScenario } from './chaos/replays.mjs';
import { FAULT_STORES, KILL_SEND_STORE, KILL_TIMER_STORE, killDuringSendsScenario, killDuringTimersScenario, postmarkTokens, providerFaultScenario } from './chaos/sends.mjs';

const tmp = join(repoRoot, 'e2e', '.tmp');
mkdirSync(tmp, { recursive: true });

const SCENARIOS = [
  ['replays ×10, resends, out of order', replayScenario],
  ['identify flood (20 concurrent)', identifyFloodScenario],
  ['erasure, then stale redelivery', erasureScenario],
  ['provider faults (500, 429, hang, 422, 406)', providerFaultScenario],
  ['kill -9 during sends', killDuringSendsScenario],
  ['kill -9 during timers', killDuringTimersScenario],
  ['fuzz (all routes)', fuzzScenario],
];

function printTable(tallies) {
  const cols = ['scenario', 'requests', '5xx', 'duplicates', 'lost', 'other'];
  const rows = tallies.map((t) => [t.name, t.requests, t.fivexx, t.duplicates, t.lost, t.other].map(String));
  const sum = (k) => String(tallies.reduce((n, t) => n + t[k], 0));
  rows.push(['total', sum('requests'), sum('fivexx'), sum('duplicates'), sum('lost'), sum('other')]);
  const widths = cols.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  console.log(line(cols));
  console.log(`|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  for (const r of rows) console.log(line(r));
}

const fake = await startPostmarkFake({ tokens: postmarkTokens() });
const proxy = await startFaultProxy({ target: fake.url });
const stores = [...REPLAY_STORES, ...FAULT_STORES, KILL_SEND_STORE, KILL_TIMER_STORE, FUZZ_STORE, ERASE_STORE];
const worker = await startChaosWorker({
  tmp,
  stores,
  // Postmark accepts only an HTTPS List-Unsubscribe URL; nothing follows these links here. The local fake lists
  // what it accepted at once, so an unanswered send may be looked up after 45 s instead of 5 minutes.
  vars: { PUBLIC_BASE_URL: 'https://nightshift-chaos.invalid', POSTMARK_BASE_URL: proxy.url, SEND_SETTLE_AFTER_SECONDS: '45' },
});
console.log(`chaos: wrangler dev on ${worker.url}, Postmark fake ${fake.url} behind the fault proxy ${proxy.url}`);

// CHAOS_ONLY=fuzz (a part of a scenario's name) runs only the matching scenarios, for a quicker look.
const only = process.env.CHAOS_ONLY;
const tallies = [];
for (const [name, scenario] of SCENARIOS.filter(([name]) => !only || name.includes(only))) {
  const tally = createTally(name);
  const fetcher = countingFetch(tally, { expectDown: worker.isDown });
  const admin = adminClient(worker.url, worker.adminToken, fetcher);
  const started = Date.now();
  try {
    await scenario({ worker, fetcher, admin, fake, proxy, tally });
  } catch (e) {
    tally.other += 1;
    tally.notes.push(`harness: ${String(e?.stack ?? e).split('\n').slice(0, 3).join(' ')}`);
  }
  console.log(`  ${name}: ${Math.round((Date.now() - started) / 1000)} s${tally.notes.length ? `\n    ${tally.notes.join('\n    ')}` : ''}`);
  tallies.push(tally);
}

await worker.stop();
await proxy.close();
await fake.close();
printTable(tallies);
const failed = tallies.filter((t) => t.fivexx + t.duplicates + t.lost + t.other > 0).length;
worker.cleanup(failed > 0);
if (failed) console.log(`chaos wrangler dev log: ${worker.logPath}`);
console.log(`${tallies.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
