// Storefront email consent is double opt-in: a pending confirmation, one confirmation email in the
// outbox (no provider configured locally), and the grant only once the shopper confirms in a browser.
import { join } from 'node:path';
import { DEMO } from './lib/local-worker.mjs';
import { assert, assertEqual, eventually } from './lib/checks.mjs';

const emailMarketing = (profile) => profile.consents.inForce.find((c) => c.channel === 'email' && c.purpose === 'marketing');

export async function doubleOptIn({ check, admin, page, shopper, shots }) {
  let confirmUrl;
  await check('double opt-in: consent waits, and one confirmation email with a /p/ link is in the outbox', async () => {
    assert(shopper.contactId, 'the shopper contact exists');
    const message = await eventually(async () => {
      const { messages } = await admin(`/api/messages?store=${DEMO.storeId}&contact=${shopper.contactId}`);
      assertEqual(messages.length, 1, 'messages to the shopper');
      return messages[0];
    });
    assertEqual([message.channel, message.to], ['email', shopper.email], 'channel and recipient');
    confirmUrl = /https?:\/\/[^\s"'<>]+\/p\/[A-Za-z0-9._~-]+/.exec(`${message.text} ${message.html ?? ''}`)?.[0];
    assert(confirmUrl, `a confirmation link in: ${message.text.slice(0, 300)}`);
    const profile = await admin(`/api/contacts/${shopper.contactId}?store=${DEMO.storeId}`);
    assert(emailMarketing(profile)?.granted !== true, 'email marketing is not granted before confirmation');
  });

  await check('double opt-in: confirming in the browser grants email marketing with its text version', async () => {
    assert(confirmUrl, 'a confirmation link');
    await page.goto(confirmUrl);
    await page.screenshot({ path: join(shots, '4-confirm-page.png') });
    await Promise.all([page.waitForLoadState('load'), page.click('form button[type=submit]')]);
    await page.screenshot({ path: join(shots, '5-confirmed.png') });
    const consent = await eventually(async () => {
      const c = emailMarketing(await admin(`/api/contacts/${shopper.contactId}?store=${DEMO.storeId}`));
      assertEqual(c?.granted, true, 'email marketing consent in force');
      return c;
    });
    assertEqual(consent.textVersion, 'popup-2026-11', 'consent text version');
  });
}
