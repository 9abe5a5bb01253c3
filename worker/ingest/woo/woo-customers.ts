import type { CustomerCreated } from '../../contacts/domain-events';
import type { WooCustomerProfile } from '../../db/queries/contacts';
import type { WooCustomer, WooOrder } from './woo-schemas';

/** "+1 212 555 0142" → "+12125550142". Without a leading "+" the country is unknown, so the number stays as given. */
export function normalizePhone(phone: string | null): string | null {
  if (!phone) return null;
  const trimmed = phone.trim();
  const digits = trimmed.replace(/[\s().-]/g, '');
  return /^\+[1-9]\d{6,14}$/.test(digits) ? digits : trimmed || null;
}

/** The country of the billing address, else of the shipping one, as an upper-case ISO 3166-1 alpha-2 code; null when neither has one. */
export function countryOf(billing: { country: string | null }, shipping: { country: string | null }): string | null {
  for (const raw of [billing.country, shipping.country]) {
    const code = raw?.trim().toUpperCase();
    if (code && /^[A-Z]{2}$/.test(code)) return code;
  }
  return null;
}

export function customerVersion(c: WooCustomer): number {
  const version = c.date_modified_gmt ?? c.date_created_gmt;
  if (version === null) throw new Error(`customer ${c.id} carries neither date_modified_gmt nor date_created_gmt`);
  return version;
}

/** Pure: what a customer record says about the contact. Billing details fill what the account leaves empty. */
export function customerProfile(c: WooCustomer): WooCustomerProfile {
  return {
    firstName: c.first_name ?? c.billing.first_name,
    lastName: c.last_name ?? c.billing.last_name,
    phone: normalizePhone(c.billing.phone),
    country: countryOf(c.billing, c.shipping),
    wooCustomerId: c.id,
    sourceModifiedAt: customerVersion(c),
  };
}

/** A WordPress user whose role is not a shopper's (administrator, shop_manager, editor...); no role means a shopper. */
export function isStaff(c: WooCustomer): boolean {
  const role = c.role?.trim();
  return !!role && role !== 'customer' && role !== 'subscriber';
}

export function customerCreated(storeId: string, contactId: string, c: WooCustomer): CustomerCreated {
  return {
    id: `woo:customer:${c.id}:created`,
    storeId,
    contactId,
    occurredAt: c.date_created_gmt ?? customerVersion(c),
    type: 'customer.created',
    wooCustomerId: c.id,
  };
}

/** Pure: the fields a contact first created from an order's billing details starts with. */
export function orderContactFields(o: WooOrder): { firstName?: string; lastName?: string; phone?: string; country?: string } {
  const phone = normalizePhone(o.billing.phone);
  const country = countryOf(o.billing, o.shipping);
  return {
    ...(o.billing.first_name ? { firstName: o.billing.first_name } : {}),
    ...(o.billing.last_name ? { lastName: o.billing.last_name } : {}),
    ...(phone ? { phone } : {}),
    ...(country ? { country } : {}),
  };
}
