import { z } from 'zod';

const Text = z.string().min(1).max(5_000);
/** A link or image address: an absolute http(s) URL or one output of a link variable (`{{ cart.restore_url }}`); validate.ts checks which. */
const Href = z.string().trim().min(1).max(2_000);
/** A merge field tested by a conditional block (`contact.first_name`, `coupon`, `cart.total`). */
const Path = z.string().regex(/^[a-z_][a-z0-9_]*(\.[a-z0-9_]+)*$/, 'a variable such as contact.first_name');

type Leaf =
  | { type: 'heading' | 'text'; text: string }
  | { type: 'image'; src: string; alt: string; href?: string | undefined }
  | { type: 'button'; label: string; href: string }
  | { type: 'product' | 'recommendations' | 'cart' | 'coupon' };
/**
 * What a conditional block tests: a merge field being set (`when`), a contact property (a welcome
 * choice is stored as `interest`), optionally equal to a value, a tag the contact carries, or a segment
 * they are a member of (`rfm-champions`, `hot-lead`, a custom segment's id).
 */
export type Condition = { when: string } | { property: string; equals?: string | undefined } | { tag: string } | { segment: string };
export type IfBlock = Condition & { type: 'if'; blocks: Leaf[] };
export type Block = Leaf | IfBlock;

const LeafBlock = z.discriminatedUnion('type', [
  z.strictObject({ type: z.enum(['heading', 'text']), text: Text }),
  z.strictObject({ type: z.literal('image'), src: Href, alt: z.string().max(300).default(''), href: Href.optional() }),
  z.strictObject({ type: z.literal('button'), label: z.string().min(1).max(200), href: Href }),
  z.strictObject({ type: z.enum(['product', 'recommendations', 'cart', 'coupon']) }),
]);
/** A property key or a tag: a name Liquid reads as a path segment, and a literal that needs no escaping. */
const Key = z.string().regex(/^[a-z_][a-z0-9_]{0,63}$/, 'a name such as interest');
const Tag = z.string().regex(/^[a-z0-9_:.-]{1,64}$/i, 'a tag such as vip');
/** A segment id as the segments API names them (`rfm-at-risk`, `seg_…`). */
const SegmentId = z.string().regex(/^[a-z0-9_-]{1,64}$/i, 'a segment id such as rfm-champions');
const Literal = z.string().min(1).max(200).regex(/^[^"{}%]*$/, 'no quotes or braces');
const Inner = z.array(LeafBlock).min(1).max(20);
const IfBlockSchema = z.union([
  z.strictObject({ type: z.literal('if'), when: Path, blocks: Inner }),
  z.strictObject({ type: z.literal('if'), property: Key, equals: Literal.optional(), blocks: Inner }),
  z.strictObject({ type: z.literal('if'), tag: Tag, blocks: Inner }),
  z.strictObject({ type: z.literal('if'), segment: SegmentId, blocks: Inner }),
]);
/** The body as blocks; a conditional block shows its blocks only when its condition holds (one level deep). */
export const Blocks = z.array(z.union([LeafBlock, IfBlockSchema])).min(1).max(40);

/** The Liquid test of a conditional block (keys and literals are restricted by the schema, so nothing needs escaping). */
export function conditionLiquid(c: Condition): string {
  if ('when' in c) return c.when;
  if ('tag' in c) return `contact.tags contains "${c.tag}"`;
  if ('segment' in c) return `contact.segments contains "${c.segment}"`;
  return c.equals === undefined ? `contact.properties.${c.property}` : `contact.properties.${c.property} == "${c.equals}"`;
}

/** Owner text keeps its Liquid (`{{ contact.first_name }}`) while the rest is HTML-escaped. */
function escapeAroundLiquid(text: string): string {
  return text
    .split(/(\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\})/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')))
    .join('');
}

/** An address as it goes into an attribute: link variables pass through `safe_url` like the shipped templates. */
function attrUrl(href: string): string {
  const variable = /^\{\{-?\s*([a-z_][\w.]*)\s*-?\}\}$/i.exec(href)?.[1];
  return variable ? `{{ ${variable} | safe_url }}` : escapeAroundLiquid(href);
}

const PRODUCT_HTML = `{% if product %}<p style="text-align:center">{% if product.image_url %}<img src="{{ product.image_url | safe_url }}" alt="{{ product.name }}" width="200"><br>{% endif %}<a href="{{ product.url | safe_url }}">{{ product.name }}</a></p>{% endif %}`;
const PRODUCT_TEXT = `{% if product %}{{ product.name }}: {{ product.url }}{% endif %}`;

function leafHtml(b: Leaf): string {
  switch (b.type) {
    case 'heading': return `<h1>${escapeAroundLiquid(b.text)}</h1>`;
    case 'text': return b.text.split(/\n{2,}/).map((p) => `<p>${escapeAroundLiquid(p).replace(/\n/g, '<br>')}</p>`).join('');
    case 'image': {
      const img = `<img src="${attrUrl(b.src)}" alt="${escapeAroundLiquid(b.alt)}" width="560" style="width:100%;max-width:560px;height:auto;border:0">`;
      return `<p style="text-align:center">${b.href ? `<a href="${attrUrl(b.href)}">${img}</a>` : img}</p>`;
    }
    case 'button': return `<p style="text-align:center"><a class="btn" href="${attrUrl(b.href)}">${escapeAroundLiquid(b.label)}</a></p>`;
    case 'product': return PRODUCT_HTML;
    default: return `{% include '${b.type}.html' %}`;
  }
}

function leafText(b: Leaf): string {
  switch (b.type) {
    case 'heading':
    case 'text': return b.text;
    case 'image': return b.href ? `${b.alt}: ${b.href}` : b.alt;
    case 'button': return `${b.label}: ${b.href}`;
    case 'product': return PRODUCT_TEXT;
    default: return `{% include '${b.type}.txt' %}`;
  }
}

/** The blocks as the Liquid the renderer and the checks already know: an HTML body and its text version. */
export function compileBlocks(blocks: Block[]): { html: string; text: string } {
  const html = blocks.map((b) => (b.type === 'if' ? `{% if ${conditionLiquid(b)} %}${b.blocks.map((c) => leafHtml(c)).join('')}{% endif %}` : leafHtml(b))).join('\n');
  const text = blocks
    .map((b) => (b.type === 'if' ? `{% if ${conditionLiquid(b)} %}${b.blocks.map((c) => leafText(c)).join('\n\n')}{% endif %}` : leafText(b)))
    .join('\n\n');
  return { html, text };
}
