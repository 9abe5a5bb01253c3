import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

export default defineConfig(async () => {
  const migrations = await readD1Migrations('./migrations');
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: './wrangler.toml' },
        miniflare: {
          // Providers point at nothing real: unit tests inject the fakes' fetch.
          bindings: {
            ADMIN_TOKEN: 'test-admin-token',
            // Store secrets are sealed under this key in every test (base64 of 32 bytes).
            SECRETS_KEY: 'dGVzdC1zZWNyZXRzLWtleS0wMTIzNDU2Nzg5YWJjZGU=',
            TEST_MIGRATIONS: migrations,
            POSTMARK_BASE_URL: 'https://postmark.invalid',
            SMS_BASE_URL: 'https://sms.invalid',
          },
          // Same limiter as production, smaller budget, so tests reach 429 in a few requests.
          ratelimits: {
            COLLECT_LIMITER: { namespace_id: '1001', simple: { limit: 40, period: 60 } },
            LOGIN_LIMITER: { namespace_id: '1002', simple: { limit: 20, period: 60 } },
          },
        },
      }),
    ],
    server: { fs: { allow: ['..'] } },
    test: {
      include: ['worker/**/*.test.ts'],
      setupFiles: ['./worker/test/apply-migrations.ts'],
      // Tests drive real D1, Durable Objects and queues in workerd; on a loaded 2-core machine some take seconds.
      testTimeout: 20_000,
    },
  };
});
