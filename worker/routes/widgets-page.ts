import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../env';
import { notFound } from '../errors';
import { db, type Db } from '../db/client';
import { findStoreSettings } from '../db/queries/store-settings';
import { bumpWidgetResult, findWidget, listWidgets, type WidgetMetric } from '../db/queries/widgets';
import type { Store } from '../db/queries/stores';
import { DEFAULT_BRAND_COLOUR } from '../messaging/email/brand';
import { parseQuery } from '../lib/validate';
import { audienceReader, inAudience } from '../widgets/audience';
import { appliesTo, publicSignup, WidgetConfig, widgetLabels, type WidgetLang } from '../widgets/config';
import { PromptQuery, preflight, promptForVisitor, storeForPage } from './widgets';

export const WidgetPageQuery = PromptQuery.extend({
  path: z.string().startsWith('/').max(2048).default('/'),
  product: z.coerce.number().int().positive().optional(),
  /** The theme placed a widget element (a carousel or an inlay slot): ui.js is needed whatever the server has. */
  placed: z.literal('1').optional(),
});
export type WidgetPageQuery = z.infer<typeof WidgetPageQuery>;

/** A sign-up widget by id, or `carousel-<kind>` for carousel clicks. */
export const WidgetEventQuery = PromptQuery.extend({
  w: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a widget id'),
  m: z.enum(['view', 'close', 'submit', 'click']),
});
export type WidgetEventQuery = z.infer<typeof WidgetEventQuery>;

const HEX = /^#[0-9a-fA-F]{6}$/;
const colour = (value: string | null | undefined) => (value && HEX.test(value) ? value : DEFAULT_BRAND_COLOUR);

async function signupsFor(d: Db, store: Store, query: WidgetPageQuery, lang: WidgetLang) {
  const out = [];
  const reader = audienceReader(d, store.id, query.vid);
  for (const widget of await listWidgets(d, store.id)) {
    const config = WidgetConfig.safeParse(widget.config);
    if (!widget.enabled || !config.success || !appliesTo(config.data, query.path, query.product)) continue;
    if (!(await inAudience(config.data.audience, reader, Date.now()))) continue;
    out.push(publicSignup(widget.id, widget.kind, config.data, lang));
  }
  return out;
}

/**
 * `GET /widgets/page`: what this page shows (the cart prompt, sign-up widgets, brand colours, labels) or 204, in
 * which case the tracker loads no widget code. `POST /widgets/event`: ui.js counts a view, close, submit or click.
 */
export const widgetPage = new Hono<AppEnv>()
  .options('/widgets/page', preflight('GET, OPTIONS'))
  .get('/widgets/page', async (c) => {
    const store = await storeForPage(c, c.req.query('store'));
    const query = parseQuery(c, WidgetPageQuery);
    const d = db(c.env.DB);
    const lang: WidgetLang = store.locale.startsWith('en') ? 'en' : 'fr';
    const prompt = await promptForVisitor(d, store, query.vid, Date.now());
    const signups = await signupsFor(d, store, query, lang);
    if (!prompt && !signups.length && !query.placed) return c.body(null, 204);
    const settings = await findStoreSettings(d, store.id);
    const brand = { primary: colour(settings?.brandPrimaryColor), accent: colour(settings?.brandAccentColor ?? settings?.brandPrimaryColor) };
    return c.json({ lang, brand, carousel: widgetLabels(lang).carousel, prompt, signups });
  })
  .post('/widgets/event', async (c) => {
    const store = await storeForPage(c, c.req.query('store'));
    const query = parseQuery(c, WidgetEventQuery);
    const d = db(c.env.DB);
    const carousel = query.w.startsWith('carousel-');
    if (carousel !== (query.m === 'click') || (!carousel && !(await findWidget(d, store.id, query.w)))) throw notFound('Widget');
    await bumpWidgetResult(d, store.id, query.w, query.m satisfies WidgetMetric);
    return c.body(null, 204);
  });
