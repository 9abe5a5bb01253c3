import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { db } from '../db/client';
import { appendConsents } from '../db/queries/consents';
import { findOrCreateContactByEmail } from '../db/queries/contacts';
import { listContactMessages } from '../db/queries/messages';
import { updateStoreSettings } from '../db/queries/store-settings';
import { findStore, upsertStore } from '../db/queries/stores';
import { completeSender } from '../test/sender';
import { executeSendEmail } from '../contacts/executors/send-email';
import type { SendEmailAction } from '../journeys/actions';
import { PRESETS } from '../journeys/presets';
import { CATALOGS, LOCALES } from '../messaging/templates';
import { middayZone } from '../test/clock';
import { messageSteps } from './steps';
import { validateEmailDraft, validateSmsDraft } from './validate';

const d = () => db(env.DB);
const headers = (lang = 'en') => ({ Authorization: `Bearer ${env.ADMIN_TOKEN}`, 'Content-Type': 'application/json', 'Accept-Language': lang });
const api = (path: string, init: RequestInit & { lang?: string } = {}) => SELF.fetch(`https://ns.test/api${path}`, { ...init, headers: headers(init.lang) });
const put = (path: string, body: unknown, lang = 'en') => api(path, { method: 'PUT', body: JSON.stringify(body), lang });
const post = (path: string, body: unknown, lang = 'en') => api(path, { method: 'POST', body: JSON.stringify(body), lang });

async function seed(id: string, adminEmail: string | null = 'owner@shop.example') {
  await upsertStore(d(), { id, name: 'Maison Test', siteUrl: 'https://shop.example', webhookSecret: 'whsec_editor_test_01', siteKey: `pk_${id}`, adminEmail, timezone: middayZone(Date.now()), createdAt: 1, updatedAt: 1 });
  await updateStoreSettings(d(), id, { postalAddress: '1 rue de la Paix, 75002 Paris' }, 1);
}

const cartEmail = (store: string, lang: string) => `/flows/abandoned-cart/messages/email_1?store=${store}&lang=${lang}`;
const draft = (subject: string, lang: 'fr' | 'en') => ({ ...CATALOGS[lang].templates['cart.reminder.1'], subject });

type Problem = { field: string; code: string; message: string; line?: number };
async function problems(res: Response): Promise<Problem[]> {
  expect(res.status).toBe(400);
  const body = await res.json<{ error: { code: string; details: { fields: Problem[] } } }>();
  expect(body.error.code).toBe('validation_failed');
  return body.error.details.fields;
}

describe('shipped wording passes the editor checks', () => {
  it('every email and SMS step of every preset validates in French and English (no false alarm on the defaults)', () => {
    for (const flow of PRESETS) {
      for (const step of messageSteps(flow)) {
        for (const lang of LOCALES) {
          const found = step.channel === 'email' ? validateEmailDraft(step, CATALOGS[lang].templates[step.templateId]) : validateSmsDraft(step, { text: CATALOGS[lang].sms[step.templateId] });
          expect(found, `${flow.id}/${step.stepId}/${lang}`).toEqual([]);
        }
      }
    }
  });
});

describe('owner wording per store and language', () => {
  it('saves FR and EN subjects as versions, previews them, lists them and restores the shipped default', async () => {
    await seed('ed-save');
    expect((await put(cartEmail('ed-save', 'fr'), draft('Camille, votre panier vous réclame', 'fr'))).status).toBe(200);
    expect((await put(cartEmail('ed-save', 'en'), draft('{{ contact.first_name }}, your basket misses you', 'en'))).status).toBe(200);
    const fr = await (await post(`${cartEmail('ed-save', 'fr')}`.replace('email_1?', 'email_1/preview?'), {})).json<{ preview: { subject: string; html: string; text: string } }>();
    expect(fr.preview.subject).toBe('Camille, votre panier vous réclame');
    expect(fr.preview.html).toContain('Votre panier vous attend');
    expect(fr.preview.html).toContain('1 rue de la Paix');
    expect(fr.preview.text).toContain('Se désinscrire');
    const en = await (await post(cartEmail('ed-save', 'en').replace('email_1?', 'email_1/preview?'), {})).json<{ preview: { subject: string; html: string } }>();
    expect(en.preview.subject).toBe('Alex, your basket misses you');
    expect(en.preview.html).toContain('woocommerce-placeholder.png');

    const listed = await (await api('/flows/abandoned-cart/messages?store=ed-save')).json<{ steps: { stepId: string; channel: string; live: Record<string, { custom: boolean; version: number | null; email?: { subject: string } }>; versions: unknown[] }[] }>();
    expect(listed.steps.map((s) => `${s.stepId}:${s.channel}`)).toEqual(['email_1:email', 'sms:sms', 'email_2:email']);
    const step = listed.steps[0]!;
    expect(step.live.fr).toMatchObject({ custom: true, version: 1, email: { subject: 'Camille, votre panier vous réclame' } });
    expect(listed.steps[2]!.live.fr).toMatchObject({ custom: false, version: null, email: { subject: CATALOGS.fr.templates['cart.reminder.2'].subject } });

    const restored = await (await post(cartEmail('ed-save', 'fr').replace('email_1?', 'email_1/restore?'), {})).json<{ message: { custom: boolean; version: number; email: { subject: string } } }>();
    expect(restored.message).toMatchObject({ custom: false, version: 2, email: { subject: CATALOGS.fr.templates['cart.reminder.1'].subject } });
    const back = await (await post(cartEmail('ed-save', 'fr').replace('email_1?', 'email_1/restore?'), { version: 1 })).json<{ message: { custom: boolean; version: number; email: { subject: string } } }>();
    expect(back.message).toMatchObject({ custom: true, version: 3, email: { subject: 'Camille, votre panier vous réclame' } });
  });

  it('a real cart reminder carries the owner wording in the contact language, other languages keep the default', async () => {
    await seed('ed-send');
    await completeSender(d(), 'ed-send');
    await put(cartEmail('ed-send', 'fr'), { ...draft('Votre panier chez {{ store.name }} est prêt', 'fr'), html: '<h1>Il vous attend</h1><p>Tout est là.</p>{% include \'cart.html\' %}' });
    const store = (await findStore(d(), 'ed-send'))!;
    const send = async (email: string, locale: string) => {
      const { contact } = await findOrCreateContactByEmail(d(), 'ed-send', email, Date.now());
      await env.DB.prepare('UPDATE contacts SET locale = ? WHERE id = ?').bind(locale, contact.id).run();
      await appendConsents(d(), [{ storeId: 'ed-send', contactId: contact.id, channel: 'email', purpose: 'marketing', granted: true, source: 'checkout', occurredAt: 1 }]);
      const action: SendEmailAction = {
        type: 'send_email', template: 'cart.reminder.1', params: {}, choices: [], products: [], categories: [],
        context: { coupons: [], cart: { lines: [{ productId: 7, name: 'Théière', quantity: 1, price: 30 }], value: 30, itemCount: 1, restoreUrl: 'https://shop.example/cart' } } as SendEmailAction['context'],
        idempotencyKey: `enr-${locale}:email_1`, flowId: 'abandoned-cart', flowVersion: 1, enrollmentId: `enr-${locale}`, nodeId: 'email_1',
      };
      expect(await executeSendEmail({ env, d: d(), store, contact: { ...contact, locale, timezone: middayZone(Date.now()) }, now: Date.now() }, action)).toEqual({ status: 'done' });
      return (await listContactMessages(d(), 'ed-send', contact.id))[0]!;
    };
    const fr = await send('fr@example.com', 'fr-FR');
    expect(fr.subject).toBe('Votre panier chez Maison Test est prêt');
    expect(fr.html).toContain('Il vous attend');
    expect(fr.html).toContain('Théière');
    expect(fr.html).toContain('Se désinscrire');
    const en = await send('en@example.com', 'en');
    expect(en.subject).toBe('there, you left something in your cart');
  });
});

describe('saving refuses broken wording, field by field, in the admin language', () => {
  it('names the Liquid error with its line, unknown variables, bad links and hidden or swallowed footers (EN)', async () => {
    await seed('ed-invalid');
    const found = await problems(
      await put(cartEmail('ed-invalid', 'en'), {
        subject: 'Hi {{ contact.last_name }}',
        preheader: '',
        html: '<p>ok</p>\n<p>{% iff cart %}</p>',
        text: 'See {{ orderz.total }}',
      }),
    );
    expect(found).toContainEqual(expect.objectContaining({ field: 'subject', code: 'unknown_variable', message: 'Unknown variable for this step: contact.last_name' }));
    expect(found).toContainEqual(expect.objectContaining({ field: 'html', code: 'parse', line: 2 }));
    expect(found.find((p) => p.code === 'parse')!.message).toMatch(/^The Liquid template does not parse \(line 2\): tag "iff" not found/);
    expect(found).toContainEqual(expect.objectContaining({ field: 'text', code: 'unknown_variable', message: 'Unknown variable for this step: orderz.total' }));

    const footer = await problems(
      await put(cartEmail('ed-invalid', 'en'), { ...draft('Hello', 'en'), html: '<a href="javascript:alert(1)">x</a><a href="{{ contact.first_name }}">y</a><div style="display:none">' }),
    );
    expect(footer.map((p) => p.code).sort()).toEqual(['bad_link', 'bad_link', 'hidden_style', 'unbalanced']);
    expect(footer.find((p) => p.code === 'bad_link')!.message).toContain('javascript:alert(1)');
    const escape = await problems(await put(cartEmail('ed-invalid', 'en'), { ...draft('Hello', 'en'), html: '<p>bye</p></td></tr></table><!-- ' }));
    expect(escape.map((p) => p.code)).toEqual(expect.arrayContaining(['comment', 'unbalanced']));
    const style = await problems(await put(cartEmail('ed-invalid', 'en'), { ...draft('Hello', 'en'), html: '<style>.muted{display:none}</style><p>x</p>' }));
    expect(style).toContainEqual(expect.objectContaining({ field: 'html', code: 'forbidden_tag', message: 'Tag not allowed in the body: <style>.' }));
    // What a step provides depends on its flow: a product exists in the replenishment reminder, not in a cart reminder.
    const product = await problems(await put(cartEmail('ed-invalid', 'en'), { ...draft('About {{ product.name }}', 'en') }));
    expect(product).toEqual([{ field: 'subject', code: 'unknown_variable', message: 'Unknown variable for this step: product.name' }]);
    const replenishment = await api('/flows/replenishment/messages?store=ed-invalid');
    const stepId = (await replenishment.json<{ steps: { stepId: string; channel: string }[] }>()).steps.find((s) => s.channel === 'email')!.stepId;
    const ok = await put(`/flows/replenishment/messages/${stepId}?store=ed-invalid&lang=en`, { ...CATALOGS.en.templates['replenishment.reminder'], subject: 'About {{ product.name }}' });
    expect(ok.status).toBe(200);
    const listed = await (await api('/flows/abandoned-cart/messages?store=ed-invalid')).json<{ steps: { versions: unknown[] }[] }>();
    expect(listed.steps[0]!.versions).toEqual([]);
  });

  it('answers in French for a French admin, and refuses an SMS without STOP or an empty subject', async () => {
    await seed('ed-invalid-fr');
    const found = await problems(await put(cartEmail('ed-invalid-fr', 'fr'), { ...draft('', 'fr'), html: '<p>{{ contact.nom }}</p><a href="/panier">ici</a>' }, 'fr-FR,fr;q=0.9'));
    expect(found).toContainEqual({ field: 'subject', code: 'required', message: 'Ce champ est obligatoire.' });
    expect(found).toContainEqual({ field: 'html', code: 'unknown_variable', message: 'Variable inconnue pour cette étape : contact.nom' });
    expect(found.find((p) => p.code === 'bad_link')!.message).toMatch(/^Lien refusé : « \/panier »/);
    const sms = await problems(await put('/flows/abandoned-cart/messages/sms?store=ed-invalid-fr&lang=fr', { text: 'Votre panier : {{ cart.restore_url }}' }, 'fr'));
    expect(sms).toEqual([{ field: 'text', code: 'opt_out_missing', message: 'Le SMS doit garder la mention de désinscription « STOP ».' }]);
    const smsEn = await problems(await put('/flows/abandoned-cart/messages/sms?store=ed-invalid-fr&lang=en', { text: 'Cart: {{ cart.restore_url }}' }, 'en'));
    expect(smsEn[0]!.message).toBe('The SMS must keep the “STOP” opt-out instruction.');
  });

  it('answers 404 for unknown stores, flows and steps, 400 for a bad language, 401 without the token', async () => {
    await seed('ed-404');
    expect((await api('/flows/abandoned-cart/messages?store=nowhere')).status).toBe(404);
    expect((await api('/flows/nope/messages?store=ed-404')).status).toBe(404);
    expect((await put('/flows/abandoned-cart/messages/wait_1?store=ed-404&lang=fr', draft('x', 'fr'))).status).toBe(404);
    expect((await put('/flows/abandoned-cart/messages/email_1?store=ed-404&lang=de', draft('x', 'fr'))).status).toBe(400);
    expect((await SELF.fetch('https://ns.test/api/flows/abandoned-cart/messages?store=ed-404')).status).toBe(401);
  });
});

describe('preview and test send', () => {
  it('previews a draft for a real contact (their name and cart) and an SMS with its length and segments', async () => {
    await seed('ed-preview');
    const { contact } = await findOrCreateContactByEmail(d(), 'ed-preview', 'zoe@example.com', 1);
    await env.DB.prepare("UPDATE contacts SET first_name = 'Zoé' WHERE id = ?").bind(contact.id).run();
    const res = await post(cartEmail('ed-preview', 'fr').replace('email_1?', 'email_1/preview?'), { contactId: contact.id, draft: draft('{{ contact.first_name }}, on garde tout', 'fr') });
    expect(res.status).toBe(200);
    expect((await res.json<{ preview: { subject: string } }>()).preview.subject).toBe('Zoé, on garde tout');
    const sms = await (await post('/flows/abandoned-cart/messages/sms/preview?store=ed-preview&lang=fr', { draft: { text: 'Maison Test : votre panier 🛒 {{ cart.restore_url }} STOP au 36180' } })).json<{ preview: { text: string; sms: { encoding: string; segments: number; length: number } } }>();
    expect(sms.preview.text).toBe('Maison Test : votre panier 🛒 https://shop.example STOP au 36180');
    expect(sms.preview.sms).toMatchObject({ encoding: 'UCS-2', segments: 1 });
    const bad = await post(cartEmail('ed-preview', 'fr').replace('email_1?', 'email_1/preview?'), { draft: draft('{% if %}', 'fr') });
    expect(bad.status).toBe(400);
    expect((await post(cartEmail('ed-preview', 'fr').replace('email_1?', 'email_1/preview?'), { contactId: 'nobody' })).status).toBe(404);
  });

  it('sends a test to the owner through the outbox, marked and outside every flow, never to a shopper', async () => {
    await seed('ed-test');
    await put(cartEmail('ed-test', 'en'), draft('Your basket, kept warm', 'en'));
    const res = await post(cartEmail('ed-test', 'en').replace('email_1?', 'email_1/test-send?'), {});
    expect(res.status).toBe(200);
    const { test } = await res.json<{ test: { messageId: string; status: string; to: string; subject: string } }>();
    expect(test).toMatchObject({ status: 'outbox', to: 'owner@shop.example', subject: '[Test] Your basket, kept warm' });
    const row = await env.DB.prepare('SELECT flow_id, step_id, idempotency_key, subject, contact_id, html FROM messages WHERE id = ?').bind(test.messageId).first<{ flow_id: string | null; idempotency_key: string; contact_id: string; html: string }>();
    expect(row).toMatchObject({ flow_id: null, step_id: null, subject: '[Test] Your basket, kept warm', contact_id: 'owner-test' });
    expect(row!.idempotency_key).toMatch(/^test:abandoned-cart:email_1:en:/);
    expect(row!.html).toContain('Unsubscribe');
    await seed('ed-test-none', null);
    const none = await post(cartEmail('ed-test-none', 'fr').replace('email_1?', 'email_1/test-send?'), {}, 'fr');
    expect(none.status).toBe(409);
    expect((await none.json<{ error: { message: string } }>()).error.message).toMatch(/^Aucune adresse pour l’envoi test/);
  });
});
