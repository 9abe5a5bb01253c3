// How the widgets e2e measures a page (issue 14's budgets): our script time from a Chromium trace, the bytes we
// send, layout shift; and axe-core's serious or critical violations in a widget state.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { repoRoot } from './local-worker.mjs';

/**
 * Main-thread time of our script URLs: top-level evaluate/call/compile slices, overlaps merged per thread. Thread
 * (CPU) time `tdur` where Chromium gives it, so other processes on a busy machine do not count as ours.
 */
export function scriptTimeMs(events, origin) {
  const names = new Set(['EvaluateScript', 'FunctionCall', 'v8.compile', 'v8.evaluateModule', 'TimerFire', 'EventDispatch']);
  const urlOf = (e) => {
    const d = e.args?.data ?? e.args?.beginData ?? {};
    return String(d.url ?? d.stackTrace?.[0]?.url ?? d.fileName ?? '');
  };
  const ours = (e) => urlOf(e).startsWith(origin);
  if (process.env.WIDGETS_TRACE)
    for (const e of events) {
      if (e.ph !== 'X' || !ours(e) || e.name !== 'EvaluateScript') continue;
      const inner = new Map();
      for (const x of events) if (x.ph === 'X' && x.tid === e.tid && x.ts >= e.ts && x.ts + (x.dur ?? 0) <= e.ts + e.dur && x !== e) inner.set(x.name, (inner.get(x.name) ?? 0) + (x.tdur ?? x.dur ?? 0) / 1000);
      console.log(`      inside ${urlOf(e).slice(origin.length)}: ${[...inner].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([n, v]) => `${n} ${v.toFixed(1)}`).join(', ')}`);
    }
  if (process.env.WIDGETS_TRACE) for (const e of events) if (e.ph === 'X' && names.has(e.name) && ours(e)) console.log(`      ${e.name} ${urlOf(e).slice(origin.length)} ${(e.dur / 1000).toFixed(2)} ms wall, ${((e.tdur ?? NaN) / 1000).toFixed(2)} ms thread`);
  const byThread = new Map();
  for (const e of events) {
    if (e.ph !== 'X' || !names.has(e.name) || !ours(e)) continue;
    const list = byThread.get(e.tid) ?? [];
    list.push([e.ts, e.ts + (e.tdur ?? e.dur ?? 0)]);
    byThread.set(e.tid, list);
  }
  let total = 0;
  for (const list of byThread.values()) {
    list.sort((a, b) => a[0] - b[0]);
    let [s, end] = [-1, -1];
    for (const [a, b] of list) {
      if (a > end) {
        if (end > s) total += end - s;
        [s, end] = [a, b];
      } else end = Math.max(end, b);
    }
    if (end > s) total += end - s;
  }
  return total / 1000;
}

/**
 * Lighthouse's mobile profile, the device its 4x CPU slowdown belongs to (GoogleChrome/lighthouse
 * core/config/constants.js: `screenEmulationMetrics.mobile`, a Moto G Power; its desktop profile runs at 1x). On
 * it the sign-up pop-up is the phones' bottom sheet, not the desktop's modal.
 */
export const LIGHTHOUSE_MOBILE = { viewport: { width: 412, height: 823 }, deviceScaleFactor: 1.75, isMobile: true, hasTouch: true };
const DESKTOP = { viewport: { width: 1280, height: 800 } };

/** One fresh visit: bytes from Nightshift (gzipped), main-thread ms of our scripts, layout shift. */
export async function measuredVisit(browser, { url, workerOrigin, throttle, device = DESKTOP }) {
  const context = await browser.newContext(device);
  const page = await context.newPage();
  // A fresh context starts a cold renderer: the first script to need a layout pays for font, style and V8 heap
  // set-up. On a store that is the theme (its own layout runs before an async tracker); here the page is too small
  // to absorb it, so whichever of our scripts came first paid it, which made runs at 4x range from 57 to 164 ms.
  // The same page without Nightshift is shown first, in the same renderer; our scripts, storage, cookies and HTTP
  // cache stay untouched, so the visit is still the shopper's first for Nightshift.
  await page.goto(url.replace(/\/widgets$/, '/widgets-warm-up'));
  await page.addInitScript(() => {
    window.__cls = 0;
    new PerformanceObserver((l) => l.getEntries().forEach((e) => !e.hadRecentInput && (window.__cls += e.value))).observe({ type: 'layout-shift', buffered: true });
  });
  const bodies = [];
  page.on('response', async (r) => {
    if (!r.url().startsWith(workerOrigin) || r.request().method() !== 'GET' || r.status() !== 200) return;
    bodies.push(r.body().then((b) => ({ url: r.url(), gz: gzipSync(b, { level: 9 }).length })).catch(() => null));
  });
  const cdp = await context.newCDPSession(page);
  if (throttle) await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
  const events = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
  await cdp.send('Tracing.start', { categories: 'devtools.timeline,v8,disabled-by-default-devtools.timeline', transferMode: 'ReportEvents' });
  await page.goto(url);
  await page.waitForFunction(() => document.querySelector('ns-signup')?.shadowRoot?.querySelector('dialog[open]'), null, { timeout: 15_000 });
  await page.waitForFunction(() => document.querySelector('ns-carousel')?.shadowRoot?.querySelector('a'), null, { timeout: 15_000 });
  await page.waitForTimeout(500);
  const done = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.end');
  await done;
  const files = (await Promise.all(bodies)).filter(Boolean);
  const cls = await page.evaluate(() => window.__cls);
  return { page, context, files, ms: scriptTimeMs(events, workerOrigin), cls };
}

/** Seven fresh visits at 4x CPU: one visit on a machine shared with other jobs is noise, not a measure. */
export async function throttledVisits(browser, { url, workerOrigin, device }) {
  const runs = [];
  for (let i = 0; i < 7; i++) {
    const run = await measuredVisit(browser, { url, workerOrigin, throttle: 4, device });
    await run.context.close();
    runs.push(run);
  }
  runs.sort((a, b) => a.ms - b.ms);
  return { runs, median: runs[3].ms };
}

export async function axeSerious(page, include) {
  const axe = readFileSync(process.env.AXE_CORE_JS ?? join(repoRoot, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  await page.addScriptTag({ content: axe });
  const found = await page.evaluate((sel) => window.axe.run({ include: sel.map((s) => [s]) }).then((r) => r.violations), include);
  return found.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
