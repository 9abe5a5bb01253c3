// `BENCH_PROFILE=1 BENCH_ONLY=send npm run bench`: a V8 CPU profile of the worker's isolate over the send run and the
// floor (`BENCH_ONLY=timers`: over the timer run's carts and alarms), through wrangler's inspector (the `ws` client:
// the proxy wants an Origin header Node's own WebSocket lacks).
// Writes bench/.tmp/<label>.cpuprofile (open it in Chromium's DevTools) and prints the functions with most self time.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';

export const PROFILE_PORT = Number(process.env.BENCH_PROFILE_PORT ?? 9239);
export const profiling = process.env.BENCH_PROFILE === '1';

/** Starts the sampling profiler; resolves with `stop(label)`, which writes the profile and returns its summary. */
export async function startProfile(dir) {
  const targets = await (await fetch(`http://127.0.0.1:${PROFILE_PORT}/json`)).json();
  const ws = new WebSocket(targets[0].webSocketDebuggerUrl, { headers: { Origin: `http://127.0.0.1:${PROFILE_PORT}` } });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  let id = 0;
  const pending = new Map();
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data));
    // wrangler's proxy echoes a command back as its only answer (no `result`) except when there is a result to carry.
    if (msg.id && pending.has(msg.id)) {
      pending.get(msg.id)(msg);
      pending.delete(msg.id);
    }
  });
  const call = (method, params = {}) =>
    new Promise((resolve) => {
      pending.set(++id, resolve);
      ws.send(JSON.stringify({ id, method, params }));
    });
  await call('Profiler.enable');
  await call('Profiler.setSamplingInterval', { interval: 200 });
  await call('Profiler.start');
  return async (label) => {
    const { result } = await call('Profiler.stop');
    if (!result?.profile) throw new Error('Profiler.stop answered without a profile');
    ws.close();
    writeFileSync(join(dir, `${label}.cpuprofile`), JSON.stringify(result.profile));
    return summarize(result.profile);
  };
}

/** Self time per function (and per script), in ms, heaviest first. */
export function summarize(profile, top = 40) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const dt = new Map();
  // A sample stands for the interval up to the next one (as DevTools counts it): the delta before a sample is the time
  // since the previous one, often idle, which would be billed to whatever ran first after an await.
  profile.samples.forEach((s, i) => dt.set(s, (dt.get(s) ?? 0) + (profile.timeDeltas[i + 1] ?? 0) / 1000));
  const fn = new Map();
  const script = new Map();
  for (const [nodeId, ms] of dt) {
    const f = byId.get(nodeId).callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;
    fn.set(key, (fn.get(key) ?? 0) + ms);
    script.set(f.url || '(native)', (script.get(f.url || '(native)') ?? 0) + ms);
  }
  const total = [...dt.values()].reduce((a, b) => a + b, 0);
  const rows = (m) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, ms]) => `${ms.toFixed(0).padStart(7)} ms  ${k}`);
  return [`total sampled ${total.toFixed(0)} ms`, ...rows(script), '--- functions (self) ---', ...rows(fn)].join('\n');
}
