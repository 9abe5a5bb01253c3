import { en } from './en';
import { fr } from './fr';
import { EMAIL_TEMPLATE_IDS, SMS_TEMPLATE_IDS, type EmailTemplateId, type Locale, type LocaleCatalog, type SmsTemplateId } from './types';

export { HTML_LAYOUT, PARTIALS, TEXT_LAYOUT } from './layout';
export { localizeShippedText } from './shipped-texts';
export {
  EMAIL_TEMPLATE_IDS,
  LOCALES,
  SMS_TEMPLATE_IDS,
  type EmailTemplateId,
  type Locale,
  type LocaleStrings,
  type SmsTemplateId,
  type TemplateSource,
} from './types';

export const CATALOGS: Record<Locale, LocaleCatalog> = { en, fr };

/** `fr-CA` → `fr`; anything we have no copy for falls back to English. */
export function resolveLocale(locale: string | null | undefined): Locale {
  const lang = (locale ?? '').toLowerCase().split(/[-_]/, 1)[0];
  return lang === 'fr' ? 'fr' : 'en';
}

/** Flows name templates by free-form id; these narrow one to a template we ship. */
export function isEmailTemplateId(id: string): id is EmailTemplateId {
  return (EMAIL_TEMPLATE_IDS as readonly string[]).includes(id);
}

export function isSmsTemplateId(id: string): id is SmsTemplateId {
  return (SMS_TEMPLATE_IDS as readonly string[]).includes(id);
}
