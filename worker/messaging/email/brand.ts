import type { StoreSettings } from '../../db/queries/store-settings';
import type { TemplateData } from './render';

/** Buttons and links of an email whose store has not chosen colours. */
export const DEFAULT_BRAND_COLOUR = '#18181b';

type BrandSettings = Pick<StoreSettings, 'postalAddress' | 'displayName' | 'brandLogoUrl' | 'brandPrimaryColor' | 'brandAccentColor'>;

/**
 * The `store` merge fields of every email (flows, confirmations, previews): its name as the owner
 * wants it shown, postal address, logo and colours. One function, so no email goes out unbranded.
 */
export function storeMergeFields(store: { name: string; currency: string }, settings: BrandSettings | undefined, site: string): TemplateData['store'] {
  return {
    name: settings?.displayName ?? store.name,
    address: settings?.postalAddress ?? '',
    url: site,
    currency: store.currency,
    ...(settings?.brandLogoUrl ? { logo_url: settings.brandLogoUrl } : {}),
    primary_color: settings?.brandPrimaryColor ?? DEFAULT_BRAND_COLOUR,
    accent_color: settings?.brandAccentColor ?? DEFAULT_BRAND_COLOUR,
  };
}
