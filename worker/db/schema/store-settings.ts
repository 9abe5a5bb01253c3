import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Per-store channel settings. One deployment serves many stores, so provider credentials live
 * here rather than in deployment secrets. Missing provider credentials mean the outbox channel.
 */
export const storeSettings = sqliteTable('store_settings', {
  storeId: text('store_id').primaryKey(),
  fromEmail: text('from_email'),
  fromName: text('from_name'),
  replyTo: text('reply_to'),
  /** Printed in every marketing email's footer (required by anti-spam law). */
  postalAddress: text('postal_address'),
  postmarkServerToken: text('postmark_server_token'),
  postmarkMessageStream: text('postmark_message_stream').notNull().default('broadcast'),
  /** Basic auth Postmark presents on its webhooks; the password is kept as sha256 hex. */
  postmarkWebhookUser: text('postmark_webhook_user'),
  postmarkWebhookPasswordHash: text('postmark_webhook_password_hash'),
  smsAccountSid: text('sms_account_sid'),
  smsAuthToken: text('sms_auth_token'),
  smsFrom: text('sms_from'),
  smsMessagingServiceSid: text('sms_messaging_service_sid'),
  /** WooCommerce REST API keys (read/write), used to create unique coupons. */
  wooConsumerKey: text('woo_consumer_key'),
  wooConsumerSecret: text('woo_consumer_secret'),
  /** Signs click, open, unsubscribe and preference tokens; generated when first needed. */
  linkSigningKey: text('link_signing_key'),
  /** The name emails show instead of the store's own (null: the store's name). */
  displayName: text('display_name'),
  /** https only: shown at the top of every email. */
  brandLogoUrl: text('brand_logo_url'),
  /** `#rrggbb`: buttons (white text on it) and links (on white) of every email. */
  brandPrimaryColor: text('brand_primary_color'),
  brandAccentColor: text('brand_accent_color'),
  updatedAt: integer('updated_at').notNull(),
});
