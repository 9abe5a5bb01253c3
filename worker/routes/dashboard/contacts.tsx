import { Hono } from 'hono';
import { z } from 'zod';
import { eraseContact, exportContact } from '../../contacts/privacy/erasure';
import { contactStory } from '../../contacts/timeline';
import { db } from '../../db/client';
import { CONSENT_STATES, searchContacts, STATUS_FILTERS, storeTags, type ContactCursor, type ContactFilters, type SegmentRef } from '../../db/queries/contact-search';
import { findContact, normalizeEmail, type Contact } from '../../db/queries/contacts';
import { storePath } from '../../dashboard/layout';
import { ContactPage } from '../../dashboard/views/contact';
import { contactScorePanel } from '../../db/queries/segment-dashboard';
import { listSegmentRows } from '../../db/queries/segment-members';
import { ContactErasePage, ContactsListPage, type SegmentOption } from '../../dashboard/views/contacts';
import { notFound, validationError } from '../../errors';
import { parseQuery } from '../../lib/validate';
import { IGNORES_PROMOTIONS } from '../../segments/ignores-promotions';
import { base, requireDashboardStore, type DashboardContext, type DashboardEnv } from './context';

const PAGE_SIZE = 50;
const TIMELINE_STEP = 50;

/** A filter left on "any" submits an empty value; a value no longer offered (an old bookmark) is dropped, not refused. */
const option = <const T extends readonly [string, ...string[]]>(values: T) => z.preprocess((v) => (v === '' ? undefined : v), z.enum(values).optional()).catch(undefined);
const Cursor = z
  .string()
  .regex(/^\d{1,16}~[A-Za-z0-9_-]{1,64}$/)
  .transform((s): ContactCursor => ({ createdAt: Number(s.slice(0, s.indexOf('~'))), id: s.slice(s.indexOf('~') + 1) }))
  .optional()
  .catch(undefined);

export const ContactListQuery = z.object({
  q: z.string().trim().max(200).default(''),
  /** The former exact-email lookup (`?email=`): still a search. */
  email: z.string().trim().max(320).optional(),
  emailConsent: option(CONSENT_STATES),
  smsConsent: option(CONSENT_STATES),
  status: option(STATUS_FILTERS),
  ordered: option(['yes', 'no']),
  segment: z.preprocess((v) => (v === '' ? undefined : v), z.string().regex(/^(segment|tag):.{1,100}$/).optional()).catch(undefined),
  after: Cursor,
  before: Cursor,
  notice: z.enum(['erased']).optional().catch(undefined),
});
export type ContactListQuery = z.infer<typeof ContactListQuery>;

export const ContactPageQuery = z.object({ limit: z.coerce.number().int().min(TIMELINE_STEP).max(500).default(TIMELINE_STEP).catch(TIMELINE_STEP) });
export type ContactPageQuery = z.infer<typeof ContactPageQuery>;

export const EraseForm = z.object({ confirm: z.string().trim().max(320).default('') });
export type EraseForm = z.infer<typeof EraseForm>;

function segmentRef(value: string | undefined): SegmentRef | undefined {
  if (!value) return undefined;
  const at = value.indexOf(':');
  return { kind: value.slice(0, at) === 'tag' ? 'tag' : 'segment', name: value.slice(at + 1) };
}

/** Segments evaluated by a job that publishes segment.entered/exited events (rule-based ones are read from the store's segments). */
const SEGMENTS = [IGNORES_PROMOTIONS];

/** The groups the list can be narrowed to: evaluated segments first, then the store's tags. */
async function segmentOptions(c: DashboardContext, storeId: string): Promise<SegmentOption[]> {
  const t = c.get('t').contacts;
  const d = db(c.env.DB);
  const [rules, storeTagList] = await Promise.all([listSegmentRows(d, storeId), storeTags(d, storeId)]);
  const evaluated = SEGMENTS.map((name) => ({ value: `segment:${name}`, label: t.segments[name] ?? name }));
  // RFM, lead-score and the owner's own segments, named in the admin's language.
  const ruled = rules.map((s) => ({ value: `segment:${s.id}`, label: c.get('lang') === 'fr' ? s.nameFr : s.nameEn }));
  const tags = storeTagList.map((tag) => ({ value: `tag:${tag}`, label: t.tag(tag) }));
  return [...evaluated, ...ruled, ...tags];
}

async function requireContact(c: DashboardContext) {
  const store = await requireDashboardStore(c);
  const d = db(c.env.DB);
  const contact = await findContact(d, store.id, c.req.param('id') ?? '');
  if (!contact) throw notFound(`Contact ${c.req.param('id')}`);
  return { store, d, contact };
}

const contactName = (contact: Contact) => [contact.firstName, contact.lastName].filter(Boolean).join(' ') || contact.email || contact.phone || contact.id;

/** The contacts list (search, filters, pages), a contact's page with its timeline, export and erasure. */
export const contactPages = new Hono<DashboardEnv>()
  .get('/:store/contacts', async (c) => {
    const store = await requireDashboardStore(c);
    const q = parseQuery(c, ContactListQuery);
    const filters: ContactFilters = {
      q: q.q || q.email,
      email: q.emailConsent,
      sms: q.smsConsent,
      status: q.status,
      ordered: q.ordered,
      segment: segmentRef(q.segment),
    };
    const [result, segments] = await Promise.all([
      searchContacts(db(c.env.DB), store.id, filters, { after: q.after, before: q.after ? undefined : q.before, limit: PAGE_SIZE }),
      segmentOptions(c, store.id),
    ]);
    const notice = q.notice === 'erased' ? { kind: 'notice' as const, text: c.get('t').contacts.erased } : undefined;
    return c.html(<ContactsListPage {...base(c)} store={store} query={{ ...q, q: filters.q ?? '' }} result={result} segments={segments} notice={notice} />);
  })
  .get('/:store/contacts/:id', async (c) => {
    const { store, d, contact } = await requireContact(c);
    const q = parseQuery(c, ContactPageQuery);
    const [story, scores] = await Promise.all([contactStory(c.env, d, store.id, contact, q.limit), contactScorePanel(d, store.id, contact.id, Date.now())]);
    return c.html(<ContactPage {...base(c)} store={store} story={story} scores={scores} limit={q.limit} step={TIMELINE_STEP} />);
  })
  .get('/:store/contacts/:id/export', async (c) => {
    const { store, d, contact } = await requireContact(c);
    c.header('Content-Disposition', `attachment; filename="contact-${contact.id}.json"`);
    return c.json(await exportContact(d, store, contact, Date.now()));
  })
  .get('/:store/contacts/:id/erase', async (c) => {
    const { store, contact } = await requireContact(c);
    return c.html(<ContactErasePage {...base(c)} store={store} contact={contact} who={contactName(contact)} />);
  })
  .post('/:store/contacts/:id/erase', async (c) => {
    const { store, d, contact } = await requireContact(c);
    const t = c.get('t').contacts;
    const form = EraseForm.safeParse(c.get('form'));
    if (!form.success) throw validationError(form.error, 'form');
    // Typing the address proves the admin means this person; a contact known only by phone gets a box to tick.
    const confirmed = contact.email ? normalizeEmail(form.data.confirm) === contact.email : form.data.confirm === 'yes';
    if (!confirmed) {
      const error = contact.email ? t.eraseMismatch : t.eraseUnticked;
      return c.html(<ContactErasePage {...base(c)} store={store} contact={contact} who={contactName(contact)} error={error} />, 400);
    }
    await eraseContact(c.env, d, store, contact, 'dashboard', Date.now());
    return c.redirect(`${storePath(store.id, '/contacts')}?notice=erased`, 303);
  });
