import type { Contact } from '../db/queries/contacts';
import type { Store } from '../db/queries/stores';
import { isValidTimeZone } from '../lib/time';

/** Regions of a locale that live in one time zone; countries spanning several are not guessed. */
const REGION_ZONES: Record<string, string> = {
  FR: 'Europe/Paris', BE: 'Europe/Brussels', CH: 'Europe/Zurich', LU: 'Europe/Luxembourg', MC: 'Europe/Monaco',
  DE: 'Europe/Berlin', AT: 'Europe/Vienna', NL: 'Europe/Amsterdam', IT: 'Europe/Rome', ES: 'Europe/Madrid',
  PT: 'Europe/Lisbon', GB: 'Europe/London', IE: 'Europe/Dublin', DK: 'Europe/Copenhagen', SE: 'Europe/Stockholm',
  NO: 'Europe/Oslo', FI: 'Europe/Helsinki', PL: 'Europe/Warsaw', CZ: 'Europe/Prague', GR: 'Europe/Athens',
  RO: 'Europe/Bucharest', HU: 'Europe/Budapest', MA: 'Africa/Casablanca', TN: 'Africa/Tunis', DZ: 'Africa/Algiers',
  SN: 'Africa/Dakar', CI: 'Africa/Abidjan', RE: 'Indian/Reunion', GP: 'America/Guadeloupe', MQ: 'America/Martinique',
  JP: 'Asia/Tokyo',
};

function regionOf(locale: string): string | null {
  const region = locale.split(/[-_]/)[1];
  return region && /^[A-Za-z]{2}$/.test(region) ? region.toUpperCase() : null;
}

/**
 * The contact's clock (waking hours, journeys' times of day, which privacy law applies): their own
 * zone, else where the edge saw their latest visit, else the one their locale's region implies
 * (`fr-BE`, `en_GB`), else the store's.
 */
export function contactTimeZone(
  contact: Pick<Contact, 'timezone' | 'geoTimezone' | 'locale'>,
  store: Pick<Store, 'timezone'>,
): string {
  if (contact.timezone && isValidTimeZone(contact.timezone)) return contact.timezone;
  if (contact.geoTimezone && isValidTimeZone(contact.geoTimezone)) return contact.geoTimezone;
  const region = contact.locale ? regionOf(contact.locale) : null;
  const fromLocale = region ? REGION_ZONES[region] : undefined;
  if (fromLocale) return fromLocale;
  return isValidTimeZone(store.timezone) ? store.timezone : 'UTC';
}
