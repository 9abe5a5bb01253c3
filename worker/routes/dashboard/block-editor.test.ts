import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { db } from '../../db/client';
import { updateStoreSettings } from '../../db/queries/store-settings';
import { upsertStore } from '../../db/queries/stores';
import { csrfOf, login, page, postForm } from '../../test/dashboard-session';

const PATH = '/admin/stores/blk-ui/flows/welcome/messages/email_2/blocks';

/** Every named field of the form as the browser would post it (selects: the selected option, else the first). */
function formOf(html: string): Record<string, string> {
  const form = /<form method="post" action="[^"]*\/blocks[^"]*" id="block-form">([\s\S]*?)<\/form>/.exec(html)?.[1] ?? '';
  const fields: Record<string, string> = {};
  for (const [, name, value] of form.matchAll(/<input type="(?:hidden|text)" name="([^"]+)" value="([^"]*)"/g)) fields[name ?? ''] = value ?? '';
  for (const [, name, body] of form.matchAll(/<textarea name="([^"]+)"[^>]*>([\s\S]*?)<\/textarea>/g)) fields[name ?? ''] = body ?? '';
  for (const [, name, options] of form.matchAll(/<select name="([^"]+)">([\s\S]*?)<\/select>/g)) {
    fields[name ?? ''] = /<option value="([^"]+)" selected/.exec(options ?? '')?.[1] ?? /<option value="([^"]+)"/.exec(options ?? '')?.[1] ?? '';
  }
  return fields;
}

async function step(cookie: string, html: string, change: Record<string, string>): Promise<string> {
  const res = await postForm(cookie, `${PATH}?msg=fr`, { ...formOf(html), ...change });
  expect(res.status).toBe(200);
  return res.text();
}

describe('dashboard block editor', () => {
  it('adds, edits, nests, moves and removes blocks with plain form posts, previews, and saves them as the step wording', async () => {
    await upsertStore(db(env.DB), { id: 'blk-ui', name: 'Blocs & Co', siteUrl: 'https://shop.example', webhookSecret: 'w'.repeat(32), siteKey: 'pk_blk-ui', createdAt: 1, updatedAt: 1 });
    await updateStoreSettings(db(env.DB), 'blk-ui', { postalAddress: '1 rue des Blocs, 75001 Paris' }, 1);
    const cookie = await login();
    let html = await page(cookie, `${PATH}?msg=fr&lang=fr`);
    expect(html).toContain('Corps en blocs');
    expect(formOf(html)).toMatchObject({ b0_type: 'text', b0_text: 'Écrivez votre message ici.' });

    html = await step(cookie, html, { do: 'add', new_type: 'heading', subject: 'Pour vous' });
    html = await step(cookie, html, { do: 'up:1', b1_text: 'Bonjour {{ contact.first_name }}' });
    expect(formOf(html)).toMatchObject({ b0_type: 'heading', b0_text: 'Bonjour {{ contact.first_name }}', b1_type: 'text' });
    html = await step(cookie, html, { do: 'add', new_type: 'if' });
    html = await step(cookie, html, { do: 'add:2', new_type_2: 'text', b2_key: 'interest', b2_equals: 'new' });
    html = await step(cookie, html, { do: 'add', new_type: 'coupon', b2c0_text: 'Nos nouveautés' });
    html = await step(cookie, html, { do: 'remove:3' });
    expect(Object.keys(formOf(html)).filter((k) => /^b\d/.test(k) && k.endsWith('_type'))).toEqual(['b0_type', 'b1_type', 'b2_type', 'b2c0_type']);

    // An empty text is refused, block by block, without losing the form.
    const refused = await postForm(cookie, `${PATH}?msg=fr`, { ...formOf(html), do: 'preview', b1_text: '' });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('Bloc 2 : « Texte » manquant ou invalide.');

    html = await step(cookie, html, { do: 'preview', b1_text: 'Merci de votre visite.' });
    expect(html).toContain('id="preview-subject">Pour vous<');
    expect(html).toContain('Merci de votre visite.');

    const saved = await postForm(cookie, `${PATH}?msg=fr`, { ...formOf(html), do: 'save' });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('Location')).toContain('notice=saved');
    const api = await SELF.fetch('https://ns.test/api/flows/welcome/messages?store=blk-ui', { headers: { Authorization: `Bearer ${env.ADMIN_TOKEN}` } });
    const body = await api.json<{ steps: { stepId: string; live: { fr: { email: { blocks: unknown[]; html: string } } } }[] }>();
    const live = body.steps.find((m) => m.stepId === 'email_2')?.live.fr.email;
    expect(live?.blocks).toEqual([
      { type: 'heading', text: 'Bonjour {{ contact.first_name }}' },
      { type: 'text', text: 'Merci de votre visite.' },
      { type: 'if', property: 'interest', equals: 'new', blocks: [{ type: 'text', text: 'Nos nouveautés' }] },
    ]);
    expect(live?.html).toContain('{% if contact.properties.interest == "new" %}');

    // Reopened, the block mode shows the saved blocks; in English its labels are English.
    const en = await page(cookie, `${PATH}?msg=fr&lang=en`);
    expect(en).toContain('Body in blocks');
    expect(formOf(en)).toMatchObject({ b2_type: 'if', b2_cond: 'property', b2_key: 'interest', b2_equals: 'new', b2c0_text: 'Nos nouveautés' });
    expect(csrfOf(en)).not.toBe('');

    // The same block on a segment: shown to the members of `hot-lead` only.
    const onSegment = await postForm(cookie, `${PATH}?msg=fr`, { ...formOf(en), do: 'save', b2_cond: 'segment', b2_key: 'hot-lead', b2_equals: '' });
    expect(onSegment.status).toBe(303);
    const again = await SELF.fetch('https://ns.test/api/flows/welcome/messages?store=blk-ui', { headers: { Authorization: `Bearer ${env.ADMIN_TOKEN}` } });
    const segmentLive = (await again.json<typeof body>()).steps.find((m) => m.stepId === 'email_2')?.live.fr.email;
    expect(segmentLive?.blocks[2]).toEqual({ type: 'if', segment: 'hot-lead', blocks: [{ type: 'text', text: 'Nos nouveautés' }] });
    expect(segmentLive?.html).toContain('{% if contact.segments contains "hot-lead" %}');
    expect(formOf(await page(cookie, `${PATH}?msg=fr`))).toMatchObject({ b2_cond: 'segment', b2_key: 'hot-lead' });
  });
});
