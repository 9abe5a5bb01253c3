// The console crawl: every dashboard page reachable from the store's navigation, plus every /admin link
// found on those pages and on theirs (two levels, one page per route pattern, so pages added later are covered too), at
// 1366×900 and 390×844, in French and English. Each pass screenshots the page, asserts no horizontal
// scroll, no text of the other language (the catalogue compiled from worker/dashboard/i18n/catalogue.ts with
// esbuild, a devDependency already, so the worker serves nothing new for it) and no serious or critical
// axe-core violation.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { DEMO, repoRoot } from './lib/local-worker.mjs';
import { CHROMIUM, FLAGS } from './dashboard.mjs';

const shots = join(repoRoot, 'e2e', '.screenshots', 'console');
const VIEWPORTS = [
  { width: 1366, height: 900 },
  { width: 390, height: 844 },
];
const LANGS = ['fr', 'en'];

/** The catalogue check of worker/dashboard/i18n/catalogue.ts, compiled in memory. */
async function loadCatalogue() {
  const out = await build({ entryPoints: [join(repoRoot, 'worker', 'dashboard', 'i18n', 'catalogue.ts')], bundle: true, write: false, format: 'esm', platform: 'neutral', logLevel: 'silent' });
  return import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`);
}

/**
 * One page per route: a segment that looks like an id (a digit, `_`, `%`, `@` or `.` in it, a store id
 * but `new`, or the flow id inside a flow's sub-pages) stands for every value it could take.
 */
export function routePattern(pathname) {
  const parts = pathname.split('/').filter(Boolean);
  return `/${parts
    .map((p, i) => {
      // Every store's pages are the crawled store's routes (nav links come first, so the crawled store is the one visited).
      if (parts[i - 1] === 'stores' && p !== 'new') return ':store';
      // Segment ids are words (`rfm-champions`): one members page stands for all of them.
      if (parts[i - 1] === 'segments' && i === 4 && p !== 'new' && p !== 'preview') return ':segment';
      if (/[\d_%@.]/.test(p)) return ':id';
      if (parts[i - 1] === 'flows' && i < parts.length - 1) return ':flow';
      return p;
    })
    .join('/')}`;
}

// A contact's export is a download (Content-Disposition: attachment), not a page.
const skipped = (url) => /^\/admin\/(login|logout)\b/.test(url.pathname) || url.pathname.endsWith('.png') || url.pathname.endsWith('/export');

/** Nav pages of the store, then the /admin links on each of them (GET links only: forms are never followed). */
async function discover(page, base, storeId) {
  await page.goto(`${base}/admin/stores/${storeId}?lang=fr`);
  const hrefs = async (selector) => page.$$eval(selector, (as) => as.map((a) => a.getAttribute('href')).filter(Boolean));
  const found = new Map();
  const add = (href) => {
    const url = new URL(href, base);
    if (url.origin !== new URL(base).origin || !url.pathname.startsWith('/admin') || skipped(url)) return false;
    const pattern = routePattern(url.pathname);
    if (found.has(pattern)) return false;
    url.searchParams.delete('lang');
    url.hash = '';
    found.set(pattern, url.pathname + url.search);
    return true;
  };
  // Two levels below the navigation: the message editor's block mode, a contact's erasure page, a
  // segment's edit form are one link further than the pages the navigation reaches.
  let level = (await hrefs('header nav a')).filter(add).map((href) => found.get(routePattern(new URL(href, base).pathname)));
  for (let depth = 0; depth < 2; depth++) {
    const next = [];
    for (const path of level) {
      await page.goto(`${base}${path}`);
      for (const href of await hrefs('main a')) if (add(href)) next.push(found.get(routePattern(new URL(href, base).pathname)));
    }
    level = next;
  }
  return found;
}

/** What a reader sees or hears: visible text nodes (not typed data: pre, code, textarea) and labelling attributes. */
function pageTexts() {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || el.closest('pre, code, textarea, script, style') || !el.checkVisibility()) continue;
    const text = node.textContent.trim();
    if (text) out.push(text);
  }
  for (const el of document.querySelectorAll('[data-label], [aria-label], [title], [placeholder], [alt]')) {
    for (const name of ['data-label', 'aria-label', 'title', 'placeholder', 'alt']) {
      const v = el.getAttribute(name);
      if (v?.trim()) out.push(v.trim());
    }
  }
  out.push(document.title);
  return out;
}

async function audit(page, axeSource) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(() => window.axe.run(document, { iframes: false, resultTypes: ['violations'] }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

async function pass({ page, base, path, name, lang, viewport, untranslatedTexts, axeSource }) {
  await page.setViewportSize(viewport);
  const url = `${base}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`;
  const res = await page.goto(url);
  const problems = [];
  if (!res || res.status() >= 500) problems.push(`HTTP ${res?.status()}`);
  if ((await page.getAttribute('html', 'lang')) !== lang) problems.push(`html lang is not ${lang}`);
  await page.screenshot({ path: join(shots, `${name}-${lang}-${viewport.width}.png`), fullPage: true });
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
  if (scrollWidth > innerWidth) problems.push(`scroll width ${scrollWidth} > ${innerWidth}`);
  const foreign = untranslatedTexts(await page.evaluate(pageTexts), lang);
  if (foreign.length > 0) problems.push(`untranslated: ${foreign.map((t) => JSON.stringify(t)).join(', ')}`);
  for (const v of await audit(page, axeSource)) problems.push(`axe ${v}`);
  return problems.map((p) => `${lang} ${viewport.width}px: ${p}`);
}

export async function consolePagesChecks({ check, worker, adminToken, storeId = DEMO.storeId }) {
  if (!existsSync(CHROMIUM)) return;
  rmSync(shots, { recursive: true, force: true });
  mkdirSync(shots, { recursive: true });
  const { untranslatedTexts } = await loadCatalogue();
  const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  const userDataDir = mkdtempSync(join(tmpdir(), 'nightshift-e2e-console-'));
  let context;
  try {
    // bypassCSP: the dashboard's CSP allows no script, and axe-core is injected as one.
    context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: VIEWPORTS[0], locale: 'fr-FR', bypassCSP: true });
    const page = context.pages()[0] ?? (await context.newPage());
    let pages = new Map();
    await check('console: sign in and find every dashboard page from the navigation (one per route)', async () => {
      await page.goto(`${worker.url}/admin/login`);
      await page.fill('input[name=token]', adminToken);
      await Promise.all([page.waitForURL('**/admin/stores'), page.click('main button[type=submit]')]);
      pages = await discover(page, worker.url, storeId);
      if (pages.size < 5) throw new Error(`only ${pages.size} pages found: ${[...pages.keys()].join(', ')}`);
      console.log(`      ${pages.size} pages: ${[...pages.keys()].join(' ')}`);
    });
    for (const [pattern, path] of pages) {
      const name = pattern.replace(/^\/admin\/?/, '').replace(/[/:]+/g, '-').replace(/^-|-$/g, '') || 'admin';
      await check(`console: ${pattern} at 1366 and 390 px in fr and en: no horizontal scroll, no untranslated text, no serious axe violation`, async () => {
        const problems = [];
        for (const lang of LANGS) {
          for (const viewport of VIEWPORTS) problems.push(...(await pass({ page, base: worker.url, path, name, lang, viewport, untranslatedTexts, axeSource })));
        }
        if (problems.length > 0) throw new Error(`${path}\n${problems.join('\n')}`);
      });
    }
  } finally {
    await context?.close();
    rmSync(userDataDir, { recursive: true, force: true });
  }
}
