import { Liquid, type Template } from 'liquidjs';
import { z } from 'zod';
import { validationError } from '../../errors';
import { defangDataUrls } from './data-urls';
import { CATALOGS, HTML_LAYOUT, PARTIALS, resolveLocale, TEXT_LAYOUT, type EmailTemplateId, type SmsTemplateId, type TemplateSource } from '../templates';

const Url = z.url({ protocol: /^https?$/ });
const Colour = z.string().regex(/^#[0-9a-fA-F]{6}$/);
const Money = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/)]);
const Product = z.object({ name: z.string(), url: Url, image_url: Url.optional(), price: Money.optional() });

/** The merge fields templates can use (snake_case: this is the vocabulary store owners edit). */
export const TemplateData = z.object({
  store: z.object({
    name: z.string(),
    address: z.string(),
    url: Url,
    currency: z.string().length(3),
    logo_url: Url.optional(),
    /** Poured into the layout's CSS: only `#rrggbb` gets through. */
    primary_color: Colour.default('#18181b'),
    accent_color: Colour.default('#18181b'),
  }),
  contact: z.object({
    first_name: z.string().nullish(),
    /** Zero-party answers and flow-set facts (`interest` from a welcome choice), read by conditional blocks. */
    properties: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
    tags: z.array(z.string()).optional(),
    /** Ids of the segments the contact is in, read by conditional blocks on a segment. */
    segments: z.array(z.string()).optional(),
  }),
  links: z.object({ unsubscribe: Url, preferences: Url }),
  cart: z
    .object({
      lines: z.array(z.object({ name: z.string(), quantity: z.number().int().positive(), price: Money, image_url: Url.optional(), url: Url.optional() })),
      total: Money,
      restore_url: Url,
    })
    .optional(),
  recommendations: z.array(Product).default([]),
  coupon: z.object({ code: z.string(), amount: z.string().optional(), expires: z.string().optional() }).optional(),
  choices: z.array(z.object({ label: z.string(), url: Url })).default([]),
  product: Product.extend({ reorder_url: Url.optional(), quantity: z.number().int().positive().optional() }).optional(),
  vip: z.object({ perks: z.array(z.string()) }).optional(),
  milestone: z.object({ orders: z.number().int().positive() }).optional(),
  path: z.object({ title: z.string(), body: z.string() }).optional(),
  /** The choice the contact made that the recommendations follow (welcome email 2). */
  selection: z.object({ label: z.string() }).optional(),
});
export type TemplateData = z.input<typeof TemplateData>;
export const SmsTemplateData = TemplateData.omit({ links: true });
export type SmsTemplateData = z.input<typeof SmsTemplateData>;

export type RenderInput = {
  templateId: EmailTemplateId;
  locale: string | null | undefined;
  data: TemplateData;
  /** Per-flow edits from the admin; missing parts fall back to the shipped default. */
  overrides?: Partial<TemplateSource>;
};
export type RenderedContent = { subject: string; preheader: string; html: string; text: string };

function safeUrl(value: unknown): string {
  const s = typeof value === 'string' ? value.trim() : '';
  return /^(https?:\/\/|mailto:)/i.test(s) ? s : '#';
}

/** Building a NumberFormat costs far more than formatting with it, and every cart line asks for one. */
const moneyFormats = new Map<string, Intl.NumberFormat | null>();

function moneyFormat(locale: string, currency: string): Intl.NumberFormat | null {
  const key = `${locale}\n${currency}`;
  let format = moneyFormats.get(key);
  if (format === undefined) {
    try {
      format = new Intl.NumberFormat(locale, { style: 'currency', currency });
    } catch {
      format = null;
    }
    if (moneyFormats.size >= 200) moneyFormats.clear();
    moneyFormats.set(key, format);
  }
  return format;
}

/** The `money` filter: a localised currency amount (`34,90 €`, `€34.90`). */
export function money(value: unknown, currency: unknown, locale: unknown): string {
  const n = Number(value);
  if (!Number.isFinite(n)) return '';
  return moneyFormat(String(locale), String(currency))?.format(n) ?? n.toFixed(2);
}

function engine(escape: boolean): Liquid {
  const liquid = new Liquid({
    templates: PARTIALS,
    extname: '',
    strictFilters: true,
    ownPropertyOnly: true,
    parseLimit: 200_000,
    // Partials ({% render %}) are parsed once per isolate, not once per send.
    cache: true,
    memoryLimit: 10_000_000,
    ...(escape ? { outputEscape: 'escape' as const } : {}),
  });
  liquid.registerFilter('safe_url', safeUrl);
  liquid.registerFilter('money', money);
  return liquid;
}

const html = engine(true);
const text = engine(false);
/** Analysis walks partials synchronously, as rendering does: it shares the rendering engines and their caches. */
const analysis = { html, text };
const parsed = new Map<string, Template[]>();

/** Parsing dominates render time; sources repeat across sends, so parsed trees are kept (bounded). */
function parse(liquid: Liquid, source: string): Template[] {
  const key = `${liquid === html ? 'h' : 't'}:${source}`;
  let tpl = parsed.get(key);
  if (!tpl) {
    tpl = liquid.parse(source);
    if (parsed.size >= 500) parsed.clear();
    parsed.set(key, tpl);
  }
  return tpl;
}

/**
 * The one entry point for checking an owner's draft: the same engines and cache as sending, so a
 * template that saves is a template that renders. Throws LiquidJS's ParseError (with line).
 */
export function parseLiquid(source: string, kind: 'html' | 'text'): Template[] {
  return parse(kind === 'html' ? html : text, source);
}

/** The global variables a template reads, partials included, as path segments (`['cart', 'total']`). */
export function liquidVariables(source: string, kind: 'html' | 'text'): (string | number)[][] {
  const liquid = analysis[kind];
  return liquid.globalVariableSegmentsSync(liquid.parse(source)).map((segments) => {
    const path: (string | number)[] = [];
    for (const s of segments) {
      if (typeof s !== 'string' && typeof s !== 'number') break;
      path.push(s);
    }
    return path;
  });
}

/**
 * Synchronous: no filter or tag of ours awaits anything, and LiquidJS's async path drives every tag through a
 * generator and a promise, which made rendering the heaviest part of a woken agent in the send bench's CPU profile.
 */
function render(liquid: Liquid, source: string, scope: object): string {
  return String(liquid.renderSync(parse(liquid, source), scope));
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();
const tidyText = (s: string) => s.replace(/[ \t]+$/gm, '').replace(/\n{3,}/g, '\n\n').trim() + '\n';

export async function renderEmail(input: RenderInput): Promise<RenderedContent> {
  const data = TemplateData.safeParse(input.data);
  if (!data.success) throw validationError(data.error, 'template data');
  const locale = resolveLocale(input.locale);
  const catalog = CATALOGS[locale];
  const source = { ...catalog.templates[input.templateId], ...input.overrides };
  const scope = { ...defangDataUrls(data.data), t: catalog.strings, locale };
  const subject = oneLine(render(text, source.subject, scope));
  const preheader = oneLine(render(text, source.preheader, scope));
  const page = { ...scope, subject, preheader };
  const htmlContent = render(html, source.html, scope);
  const textContent = render(text, source.text, scope);
  return {
    subject,
    preheader,
    html: render(html, HTML_LAYOUT, { ...page, content: htmlContent }),
    text: tidyText(render(text, TEXT_LAYOUT, { ...page, content: textContent })),
  };
}

/** SMS bodies are plain text on one line; `override` is the admin's edited source, if any. */
export async function renderSms(input: { templateId: SmsTemplateId; locale: string | null | undefined; data: SmsTemplateData; override?: string }): Promise<string> {
  const data = SmsTemplateData.safeParse(input.data);
  if (!data.success) throw validationError(data.error, 'template data');
  const locale = resolveLocale(input.locale);
  const catalog = CATALOGS[locale];
  return oneLine(render(text, input.override ?? catalog.sms[input.templateId], { ...defangDataUrls(data.data), t: catalog.strings, locale }));
}
