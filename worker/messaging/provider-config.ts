import type { StoreSettings } from '../db/queries/store-settings';
import type { ProviderConfig } from './channels';

/**
 * The one place a store's channel settings meet the deployment's provider base URLs
 * (`POSTMARK_BASE_URL`, `SMS_BASE_URL` in wrangler.toml), so e2e runs and the bench can point
 * every channel at local fakes. `overrides` wins: e.g. a confirmation's transactional stream.
 */
export function providerConfigOf(env: Env, settings: StoreSettings | undefined, overrides: ProviderConfig = {}): ProviderConfig {
  return {
    postmarkBaseUrl: env.POSTMARK_BASE_URL,
    smsBaseUrl: env.SMS_BASE_URL,
    ...(settings?.postmarkServerToken ? { postmarkServerToken: settings.postmarkServerToken } : {}),
    ...(settings?.postmarkMessageStream ? { postmarkMessageStream: settings.postmarkMessageStream } : {}),
    ...(settings?.smsAccountSid ? { smsAccountSid: settings.smsAccountSid } : {}),
    ...(settings?.smsAuthToken ? { smsAuthToken: settings.smsAuthToken } : {}),
    ...(settings?.smsFrom ? { smsFrom: settings.smsFrom } : {}),
    ...(settings?.smsMessagingServiceSid ? { smsMessagingServiceSid: settings.smsMessagingServiceSid } : {}),
    ...overrides,
  };
}
