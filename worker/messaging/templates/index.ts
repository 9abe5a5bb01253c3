import { en } from './en';
import { fr } from './fr';
import type { Locale, LocaleCatalog, TemplateId, TemplateSource } from './types';

export { HTML_LAYOUT, PARTIALS, TEXT_LAYOUT } from './layout';
export { LOCALES, TEMPLATE_IDS, type Locale, type LocaleStrings, type TemplateId, type TemplateSource } from './types';

export const CATALOGS: Record<Locale, LocaleCatalog> = { en, fr };

/** `fr-CA` → `fr`; anything we have no copy for falls back to English. */
export function resolveLocale(locale: string | null | undefined): Locale {
  const lang = (locale ?? '').toLowerCase().split(/[-_]/, 1)[0];
  return lang === 'fr' ? 'fr' : 'en';
}

export function defaultTemplate(id: TemplateId, locale: Locale): TemplateSource {
  return CATALOGS[locale].templates[id];
}
