import { z } from 'zod';
import { resolveLocale, type Locale } from './templates';

/**
 * On-site prompts are short: a title, one sentence, the cart lines and one action. They are
 * returned as plain text fields and the tracker builds the banner with textContent, so nothing
 * here is ever interpreted as HTML on the store's page.
 */
export const PROMPT_TEMPLATE_IDS = ['cart.prompt'] as const;
export type PromptTemplateId = (typeof PROMPT_TEMPLATE_IDS)[number];

export type PromptLine = { name: string; quantity: number };
export type RenderedPrompt = {
  title: string;
  body: string;
  lines: PromptLine[];
  cta: { label: string; url: string } | null;
  closeLabel: string;
  lang: Locale;
};

type Copy = { title: string; body: (items: number) => string; cta: string; close: string; item: string };

const COPY: Record<PromptTemplateId, Record<Locale, Copy>> = {
  'cart.prompt': {
    fr: {
      title: 'Votre panier vous attend',
      body: (n) => (n > 1 ? `Vos ${n} articles sont toujours là.` : 'Votre article est toujours là.'),
      cta: 'Reprendre mon panier',
      close: 'Fermer',
      item: 'Article',
    },
    en: {
      title: 'Your cart is waiting',
      body: (n) => (n > 1 ? `Your ${n} items are still here.` : 'Your item is still here.'),
      cta: 'Back to my cart',
      close: 'Close',
      item: 'Item',
    },
  },
};

/** The part of a stored enrollment context a prompt uses; read leniently, it was written by us. */
export const PromptContext = z.object({
  cart: z
    .object({
      itemCount: z.number().optional(),
      lines: z.array(z.object({ name: z.string().optional(), quantity: z.number() })).default([]),
      restoreUrl: z.string().optional(),
    })
    .optional(),
});
export type PromptContext = z.infer<typeof PromptContext>;

export function isPromptTemplateId(id: string): id is PromptTemplateId {
  return (PROMPT_TEMPLATE_IDS as readonly string[]).includes(id);
}

const MAX_LINES = 3;

/** Only http(s) links reach the page: a stored context can never smuggle a javascript: URL. */
function safeLink(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}

export function renderPrompt(id: PromptTemplateId, locale: string | null | undefined, context: unknown): RenderedPrompt {
  const lang = resolveLocale(locale);
  const copy = COPY[id][lang];
  const parsed = PromptContext.safeParse(context);
  const cart = parsed.success ? parsed.data.cart : undefined;
  const lines = (cart?.lines ?? []).slice(0, MAX_LINES).map((l) => ({ name: (l.name ?? copy.item).slice(0, 80), quantity: l.quantity }));
  const count = cart?.itemCount ?? lines.reduce((n, l) => n + l.quantity, 0);
  const url = safeLink(cart?.restoreUrl);
  return {
    title: copy.title,
    body: copy.body(count),
    lines,
    cta: url ? { label: copy.cta, url } : null,
    closeLabel: copy.close,
    lang,
  };
}
