import { Hono, type Context } from 'hono';
import type { AppEnv } from '../env';
import { badRequest, validationError } from '../errors';
import { db } from '../db/client';
import { proofOf } from '../contacts/privacy/consent';
import { confirmEmailConsent } from '../contacts/privacy/double-opt-in';
import {
  checkFormNonce,
  formNonce,
  PreferenceForm,
  preferenceView,
  recordChoice,
  resolvePreferenceToken,
  savePreferenceForm,
  type PreferenceTarget,
} from '../contacts/privacy/preference-centre';
import { ChoicePage, ConfirmPage, FormExpiredPage, PreferenceCentrePage, PreferenceNotFoundPage } from './preference-pages';
import { refreshAfterChange } from '../segments/dynamic/runs';

function noStore(c: Context<AppEnv>): void {
  c.header('Cache-Control', 'private, no-store');
  // same-origin, not no-referrer: under no-referrer browsers send `Origin: null` on the page's own
  // form POST, which the Origin check must refuse; the token in the URL still never leaves our origin.
  c.header('Referrer-Policy', 'same-origin');
  c.header('X-Robots-Tag', 'noindex');
  c.header('X-Frame-Options', 'DENY');
}

function notFoundPage(c: Context<AppEnv>) {
  noStore(c);
  return c.html(<PreferenceNotFoundPage />, 404);
}

const localeOf = (t: PreferenceTarget) => t.contact.locale ?? t.store.locale;
const actionOf = (token: string) => `/p/${encodeURIComponent(token)}`;

/** An expired or already used confirmation link is treated like any dead link. */
function confirmationOpen(t: PreferenceTarget & { kind: 'confirm' }, now: number): boolean {
  const c = t.confirmation;
  return c.status === 'confirmed' || (c.status === 'pending' && c.expiresAt > now);
}

/**
 * A browser form POST carries Origin; one naming another site is a cross-site submission. Absent
 * Origin (old clients) falls back on the nonce alone.
 */
function sameOrigin(c: Context<AppEnv>): boolean {
  const origin = c.req.header('Origin');
  if (origin === undefined) return true;
  const own = [new URL(c.req.url).origin, new URL(c.env.PUBLIC_BASE_URL).origin];
  return own.includes(origin);
}

async function render(c: Context<AppEnv>, t: PreferenceTarget, token: string, now: number) {
  const common = { locale: localeOf(t), storeName: t.store.name, action: actionOf(token), nonce: await formNonce(t.key, token, now) };
  noStore(c);
  if (t.kind === 'confirm') {
    if (!confirmationOpen(t, now)) return notFoundPage(c);
    return c.html(<ConfirmPage {...common} done={t.confirmation.status === 'confirmed'} />);
  }
  if (t.choice) return c.html(<ChoicePage {...common} value={t.choice.value} done={false} />);
  const view = await preferenceView(t.d, t.store, t.contact);
  return c.html(<PreferenceCentrePage {...common} view={view} saved={c.req.query('saved') === '1'} />);
}

/**
 * The preference centre and the double opt-in confirmation (DESIGN §4: GET,POST /p/:token).
 * The signed token is the credential. GET never changes anything, one-click choices included:
 * mail scanners fetch every link of a message, so recording on GET would record all the choices
 * of an email at once; the page instead asks with one POST button.
 */
export const preferences = new Hono<AppEnv>()
  .get('/p/:token', async (c) => {
    const token = c.req.param('token');
    const target = await resolvePreferenceToken(db(c.env.DB), token);
    if (!target) return notFoundPage(c);
    return render(c, target, token, Date.now());
  })
  .post('/p/:token', async (c) => {
    const token = c.req.param('token');
    const target = await resolvePreferenceToken(db(c.env.DB), token);
    if (!target) return notFoundPage(c);
    const now = Date.now();
    const body = await c.req.parseBody({ all: true });
    const nonce = typeof body.nonce === 'string' ? body.nonce : '';
    if (!sameOrigin(c) || !(await checkFormNonce(target.key, token, nonce, now))) {
      noStore(c);
      return c.html(<FormExpiredPage locale={localeOf(target)} />, 403);
    }
    const form = PreferenceForm.safeParse(body);
    if (!form.success) throw validationError(form.error);
    const proof = await proofOf(target.store.webhookSecret, { ip: c.req.header('CF-Connecting-IP'), userAgent: c.req.header('User-Agent') });
    const common = { locale: localeOf(target), storeName: target.store.name, action: actionOf(token), nonce };
    noStore(c);
    if (target.kind === 'confirm') {
      if (form.data.intent !== 'confirm') throw badRequest('This link confirms a subscription');
      if (!confirmationOpen(target, now)) return notFoundPage(c);
      if (target.confirmation.status === 'pending' && !(await confirmEmailConsent(c.env, target.d, target.confirmation, proof, now))) return notFoundPage(c);
      return c.html(<ConfirmPage {...common} done />);
    }
    if (target.choice) {
      if (form.data.intent !== 'choice') throw badRequest('This link records one answer');
      await recordChoice(target, target.sendId, target.choice, now);
      await refreshAfterChange(c.env, target.d, target.store.id, target.contact.id, now);
      return c.html(<ChoicePage {...common} value={target.choice.value} done />);
    }
    if (form.data.intent !== 'save') throw badRequest('Unexpected form');
    await savePreferenceForm(target, form.data, proof, now);
    await refreshAfterChange(c.env, target.d, target.store.id, target.contact.id, now);
    return c.redirect(`${actionOf(token)}?saved=1`, 303);
  });
