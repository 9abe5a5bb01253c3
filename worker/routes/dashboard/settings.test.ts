import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { db } from '../../db/client';
import { findStoreSettings } from '../../db/queries/store-settings';
import { adminFetch, csrfOf, login, ORIGIN, page, postForm, seedDashboardStore } from '../../test/dashboard-session';

const api = (path: string) => SELF.fetch(`${ORIGIN}/api${path}`, { headers: { Authorization: `Bearer ${env.ADMIN_TOKEN}` } });
const settingsPath = (storeId: string, tab: string) => `/admin/stores/${storeId}/settings/${tab}`;

/** Opens a tab, posts its form with `fields` (CSRF from the page), and returns the answer. */
async function submit(cookie: string, storeId: string, tab: string, fields: Record<string, string>, lang = 'fr') {
  const html = await page(cookie, `${settingsPath(storeId, tab)}?lang=${lang}`);
  return postForm(cookie, settingsPath(storeId, tab), { _csrf: csrfOf(html), ...fields }, { Origin: ORIGIN, Cookie: `${cookie}; ns_admin_lang=${lang}` });
}

const SENDER = {
  fromName: 'Maison Braise', fromEmail: 'bonjour@braise.example', replyTo: 'service@braise.example', postalAddress: '12 rue des Forges, 69001 Lyon',
  displayName: 'Braise', brandLogoUrl: 'https://cdn.braise.example/logo.png', brandPrimaryColor: '#B4231F', brandAccentColor: '#0B5CAD',
};

describe('settings: sender and brand', () => {
  it('saves through the API write, says so, and shows the values, the logo and the colours again', async () => {
    await seedDashboardStore('set-sender');
    const cookie = await login();
    const res = await submit(cookie, 'set-sender', 'sender', SENDER);
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe(`${settingsPath('set-sender', 'sender')}?saved=1`);
    const html = await page(cookie, res.headers.get('Location') ?? '');
    expect(html).toContain('Réglages enregistrés.');
    expect(html).toContain('value="bonjour@braise.example"');
    expect(html).toContain('12 rue des Forges, 69001 Lyon</textarea>');
    expect(html).toContain('<img src="https://cdn.braise.example/logo.png" alt="Aperçu du logo"');
    expect(html).toContain('style="background:#b4231f"');
    expect(html).not.toContain('contraste de');
    const stored = await (await api('/stores/set-sender/settings')).json<Record<string, unknown>>();
    expect(stored).toMatchObject({ fromName: 'Maison Braise', displayName: 'Braise', brandPrimaryColor: '#b4231f', brandAccentColor: '#0b5cad' });
    // The page may show the owner's https logo, nothing else remote.
    const head = await adminFetch(settingsPath('set-sender', 'sender'), { headers: { Cookie: cookie } });
    expect(head.headers.get('Content-Security-Policy')).toContain('img-src data: https:');

    // An emptied field clears the setting.
    expect((await submit(cookie, 'set-sender', 'sender', { ...SENDER, displayName: '', brandLogoUrl: '' })).status).toBe(303);
    expect(await findStoreSettings(db(env.DB), 'set-sender')).toMatchObject({ displayName: null, brandLogoUrl: null, fromName: 'Maison Braise' });
  });

  it('warns when a colour reads poorly against white, in both languages', async () => {
    await seedDashboardStore('set-contrast');
    const cookie = await login();
    expect((await submit(cookie, 'set-contrast', 'sender', { ...SENDER, brandPrimaryColor: '#facc15' })).status).toBe(303);
    const fr = await page(cookie, `${settingsPath('set-contrast', 'sender')}?lang=fr`);
    expect(fr).toMatch(/Couleur principale \(boutons\) : contraste de 1,5:1 avec le blanc, en dessous de 4,5:1/);
    const en = await page(cookie, `${settingsPath('set-contrast', 'sender')}?lang=en`);
    expect(en).toContain('Primary colour (buttons): contrast of 1.5:1 with white, below 4.5:1');
  });

  it.each([
    ['fr', 'Adresse e-mail invalide (ex. bonjour@boutique.fr).', 'Adresse https:// attendue (ex. https://boutique.fr/logo.png).', 'Couleur au format #1d4ed8 attendue.'],
    ['en', 'Invalid email address (e.g. hello@shop.com).', 'An https:// address is expected (e.g. https://shop.com/logo.png).', 'A colour like #1d4ed8 is expected.'],
  ])('refuses bad input with a 400 and the error next to each field (%s), saving nothing', async (lang, emailError, logoError, colourError) => {
    const storeId = `set-bad-${lang}`;
    await seedDashboardStore(storeId);
    const cookie = await login();
    const res = await submit(cookie, storeId, 'sender', { ...SENDER, fromEmail: 'not-an-email', brandLogoUrl: 'http://cdn.example/logo.png', brandAccentColor: 'blue' }, lang);
    expect(res.status).toBe(400);
    const html = await res.text();
    for (const [field, message] of [['fromEmail', emailError], ['brandLogoUrl', logoError], ['brandAccentColor', colourError]] as const) {
      expect(html).toMatch(new RegExp(`id="f-${field}" name="${field}" aria-invalid="true" aria-describedby="[^"]*f-${field}-error"`));
      expect(html).toContain(`<p id="f-${field}-error" class="field-error">${message}</p>`);
    }
    expect(html).not.toContain('id="f-fromName-error"');
    expect(html).toContain('value="not-an-email"');
    expect(await findStoreSettings(db(env.DB), storeId)).toBeUndefined();
  });

  it('refuses a post without the session CSRF token', async () => {
    await seedDashboardStore('set-csrf');
    const cookie = await login();
    const res = await postForm(cookie, settingsPath('set-csrf', 'sender'), { ...SENDER, _csrf: 'f'.repeat(64) }, { Origin: ORIGIN });
    expect(res.status).toBe(403);
    expect(await findStoreSettings(db(env.DB), 'set-csrf')).toBeUndefined();
  });
});

describe('settings: providers (write-only secrets)', () => {
  const TOKEN = 'pm-server-token-0123456789-abcd';
  const SMS_TOKEN = 'sms-auth-token-9876543210-wxyz';
  const PASSWORD = 'webhook-password-s3cret-9Qz';

  it('stores secrets, never shows them back on any page, keeps them when left empty, clears them on request', async () => {
    await seedDashboardStore('set-prov');
    const cookie = await login();
    const fields = { postmarkServerToken: TOKEN, postmarkMessageStream: 'broadcast', postmarkWebhookUser: 'pm-hook', postmarkWebhookPassword: PASSWORD, smsAccountSid: 'AC123', smsAuthToken: SMS_TOKEN, smsFrom: '+33600000000', smsMessagingServiceSid: '' };
    expect((await submit(cookie, 'set-prov', 'providers', fields)).status).toBe(303);
    const stored = await findStoreSettings(db(env.DB), 'set-prov');
    expect(stored).toMatchObject({ postmarkServerToken: TOKEN, smsAuthToken: SMS_TOKEN, postmarkWebhookUser: 'pm-hook', smsAccountSid: 'AC123' });

    const pages = await Promise.all(
      ['sender', 'providers', 'guardrails', 'privacy'].flatMap((tab) => ['fr', 'en'].map((lang) => page(cookie, `${settingsPath('set-prov', tab)}?lang=${lang}`))),
    );
    for (const html of [...pages, await page(cookie, '/admin/stores/set-prov'), await page(cookie, '/admin/stores/set-prov/connection')]) {
      for (const secret of [TOKEN, SMS_TOKEN, PASSWORD]) expect(html).not.toContain(secret);
    }
    const providers = await page(cookie, `${settingsPath('set-prov', 'providers')}?lang=fr`);
    expect(providers).toContain('Enregistré · se termine par …abcd');
    expect(providers).toContain('Enregistré · se termine par …wxyz');
    expect(providers).toContain('value="pm-hook"');
    expect(await page(cookie, `${settingsPath('set-prov', 'providers')}?lang=en`)).toContain('Stored · ends with …abcd');

    // Empty secret fields keep the stored values; the remove box clears one.
    expect((await submit(cookie, 'set-prov', 'providers', { ...fields, postmarkServerToken: '', smsAuthToken: '', postmarkWebhookPassword: '', remove_smsAuthToken: 'on' })).status).toBe(303);
    const after = await findStoreSettings(db(env.DB), 'set-prov');
    expect(after?.postmarkServerToken).toBe(TOKEN);
    expect(after?.postmarkWebhookPasswordHash).toBe(stored?.postmarkWebhookPasswordHash);
    expect(after?.smsAuthToken).toBeNull();
    expect(await page(cookie, `${settingsPath('set-prov', 'providers')}?lang=fr`)).toContain('Non défini');
  });

  it('a refused form does not echo the typed secret back', async () => {
    await seedDashboardStore('set-prov-bad');
    const cookie = await login();
    const res = await submit(cookie, 'set-prov-bad', 'providers', { postmarkServerToken: TOKEN, postmarkMessageStream: 'Not A Stream!' }, 'en');
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('Lowercase letters, digits and hyphens (e.g. broadcast).');
    expect(html).not.toContain(TOKEN);
    expect(await findStoreSettings(db(env.DB), 'set-prov-bad')).toBeUndefined();
  });
});

type Guardrails = { settings: Record<string, unknown> };

describe('settings: guardrails', () => {
  const FORM = {
    emailCap: '4', emailWindowDays: '2 sem', smsCap: '1', smsWindowDays: '14 d', overallCap: '5', overallWindowDays: '7',
    hibernationDays: '120 jours', wakeHour: '9', sleepHour: '20', sendTimeOptimization: 'on', sendTimeMinEngagements: '3',
    repromotionDays: '0', smsOpens: '10:00', smsCloses: '19:30', smsDay1: 'on', smsDay3: 'on', smsDay5: 'on',
  };

  it('accepts durations typed "2 sem", "14 d", "120 jours" and shows them back as days in the page language', async () => {
    await seedDashboardStore('set-guard');
    const cookie = await login();
    expect((await submit(cookie, 'set-guard', 'guardrails', FORM)).status).toBe(303);
    const { settings } = await (await api('/stores/set-guard/guardrails')).json<Guardrails>();
    expect(settings).toMatchObject({ emailCap: 4, emailWindowDays: 14, smsWindowDays: 14, overallWindowDays: 7, hibernationDays: 120, wakeHour: 9, sleepHour: 20, sendTimeOptimization: true, oneFlowPerDay: false, repromotionDays: 0, smsOpens: '10:00', smsCloses: '19:30', smsDays: [1, 3, 5] });
    const fr = await page(cookie, `${settingsPath('set-guard', 'guardrails')}?lang=fr`);
    expect(fr).toContain('value="14\u00a0j"');
    expect(fr).toContain('value="120\u00a0j"');
    expect(fr).toMatch(/name="smsDay3" checked=""/);
    expect(fr).not.toMatch(/name="smsDay2" checked/);
    expect(await page(cookie, `${settingsPath('set-guard', 'guardrails')}?lang=en`)).toContain('value="14\u00a0d"');
  });

  it('names the refused duration, cap and the hours in the wrong order, field by field, in French and English', async () => {
    await seedDashboardStore('set-guard-bad');
    const cookie = await login();
    const bad = await submit(cookie, 'set-guard-bad', 'guardrails', { ...FORM, emailWindowDays: '36 h', smsCap: 'lots', smsDay1: '', smsDay3: '', smsDay5: '' });
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toContain('<p id="f-emailWindowDays-error" class="field-error">Durée de 1 à 90 jours (ex. « 7 j »).</p>');
    expect(html).toContain('<p id="f-smsCap-error" class="field-error">Nombre entier de 1 à 50.</p>');
    expect(html).toContain('<p id="f-smsDays-error" class="field-error">Cochez au moins un jour.</p>');
    expect(html).toContain('value="36 h"');

    const order = await submit(cookie, 'set-guard-bad', 'guardrails', { ...FORM, wakeHour: '21', sleepHour: '8' }, 'en');
    expect(order.status).toBe(400);
    const en = await order.text();
    expect(en).toContain('<p id="f-sleepHour-error" class="field-error">A whole hour from 0 to 24, after the first send.</p>');
    expect(en).toMatch(/id="f-sleepHour" name="sleepHour" aria-invalid="true"/);
    const { settings } = await (await api('/stores/set-guard-bad/guardrails')).json<Guardrails>();
    expect(settings).toMatchObject({ emailWindowDays: 7, wakeHour: 8, sleepHour: 21 });
  });
});

describe('settings: privacy', () => {
  it('turns double opt-in and open tracking off, with the confirmation delay as a duration', async () => {
    await seedDashboardStore('set-priv');
    const cookie = await login();
    const html = await page(cookie, `${settingsPath('set-priv', 'privacy')}?lang=fr`);
    expect(html).toMatch(/name="openTracking" checked=""/);
    expect(html).toContain('value="7\u00a0j"');
    expect((await submit(cookie, 'set-priv', 'privacy', { confirmationDays: '3 d', eventRetentionMonths: '24' })).status).toBe(303);
    const { settings } = await (await api('/stores/set-priv/privacy')).json<Guardrails>();
    expect(settings).toMatchObject({ doubleOptIn: false, openTracking: false, confirmationDays: 3, eventRetentionMonths: 24 });
    const bad = await submit(cookie, 'set-priv', 'privacy', { doubleOptIn: 'on', openTracking: 'on', confirmationDays: '90 j', eventRetentionMonths: '24' }, 'en');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('<p id="f-confirmationDays-error" class="field-error">A duration from 1 to 60 days (e.g. “7 d”).</p>');
    expect((await (await api('/stores/set-priv/privacy')).json<Guardrails>()).settings).toMatchObject({ doubleOptIn: false, confirmationDays: 3 });
  });

  it('has a settings link in the navigation and an unknown tab is a 404', async () => {
    await seedDashboardStore('set-nav');
    const cookie = await login();
    expect(await page(cookie, '/admin/stores/set-nav/settings')).toContain('<a href="/admin/stores/set-nav/settings" aria-current="page">Réglages</a>');
    expect((await adminFetch('/admin/stores/set-nav/settings/billing', { headers: { Cookie: cookie } })).status).toBe(404);
  });
});
