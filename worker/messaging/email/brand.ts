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

/**
 * The From header of every email: the owner's sender address (and display name), else the store admin's, else a
 * no-reply address on the shop's own host.
 */
export function senderOf(store: { adminEmail: string | null }, settings: Pick<StoreSettings, 'fromEmail' | 'fromName'> | undefined, site: string): string {
  const address = settings?.fromEmail ?? store.adminEmail ?? `no-reply@${new URL(site).hostname}`;
  return settings?.fromName ? `${settings.fromName} <${address}>` : address;
}
