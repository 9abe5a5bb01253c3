import { env, SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeLeadScore } from '../db/queries/contact-scores';
import { setContactTag } from '../db/queries/contact-tags';
import { DEFAULT_LEAD_SETTINGS } from '../segments/scores/lead-settings';
import { fullSegmentRun } from '../segments/dynamic/runs';
import { DAY, segmentWorld, type SegmentWorld } from '../segments/dynamic/test/world';

const STORE = 'seg-api';
let w: SegmentWorld;
let ann: string;
let bob: string;

function api(path: string, init: { method?: string; body?: unknown; auth?: boolean } = {}): Promise<Response> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (init.auth !== false) headers.Authorization = `Bearer ${env.ADMIN_TOKEN}`;
  return SELF.fetch(`https://ns.test/api${path}`, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
}
type SegmentJson = { id: string; name: { fr: string; en: string }; builtIn: boolean; count: number; version: number };
const vipRules = { version: 1, match: { all: [{ kind: 'tag', tag: 'vip' }] } };

beforeAll(async () => {
  w = await segmentWorld(STORE);
  const now = Date.now();
  ann = await w.contact('ann');
  bob = await w.contact('bob');
  await w.order(ann, now - 10 * DAY, 120);
  await w.order(bob, now - 300 * DAY, 20);
  await setContactTag(w.d, STORE, ann, 'vip', true, now);
  await setContactTag(w.d, STORE, bob, 'vip', true, now);
  await writeLeadScore(w.d, STORE, ann, { score: 80, at: now - 30 * DAY, caps: {} });
  await fullSegmentRun(w.d, STORE, now);
});

describe('GET /api/segments', () => {
  it('lists every segment with its count, the 11 RFM segments and hot leads included, named in French and English', async () => {
    const res = await api(`/segments?store=${STORE}`);
    expect(res.status).toBe(200);
    const { segments } = (await res.json()) as { segments: SegmentJson[] };
    expect(segments.filter((s) => s.builtIn)).toHaveLength(13);
    expect(segments.find((s) => s.id === 'rfm-at-risk')?.name).toEqual({ fr: 'À risque', en: 'At Risk' });
    expect(segments.find((s) => s.id === 'hot-lead')?.name).toEqual({ fr: 'Prospects chauds', en: 'Hot leads' });
    const total = segments.filter((s) => s.id.startsWith('rfm-')).reduce((n, s) => n + s.count, 0);
    expect(total).toBe(2);
  });
  it('needs the admin token and a known store', async () => {
    expect((await api(`/segments?store=${STORE}`, { auth: false })).status).toBe(401);
    expect((await api('/segments?store=nope')).status).toBe(404);
    expect((await api('/segments')).status).toBe(400);
  });
});

describe('custom segments', () => {
  it('creates one (members computed at once), pages its members, edits and deletes it', async () => {
    const created = await api(`/segments?store=${STORE}`, { method: 'POST', body: { name: { fr: 'VIP', en: 'VIPs' }, rules: vipRules } });
    expect(created.status).toBe(201);
    const { segment } = (await created.json()) as { segment: SegmentJson };
    expect(segment).toMatchObject({ builtIn: false, count: 2, version: 1, name: { fr: 'VIP', en: 'VIPs' } });

    const first = (await (await api(`/segments/${segment.id}/members?store=${STORE}&limit=1`)).json()) as { members: { contactId: string }[]; next: string | null };
    expect(first.members).toHaveLength(1);
    const second = (await (await api(`/segments/${segment.id}/members?store=${STORE}&limit=1&after=${first.next}`)).json()) as { members: { contactId: string }[] };
    expect([first.members[0]?.contactId, second.members[0]?.contactId].sort()).toEqual([ann, bob].sort());

    const spenders = { version: 1, match: { all: [{ kind: 'tag', tag: 'vip' }, { kind: 'orders', metric: 'spend', op: 'gte', value: 100 }] } };
    const edited = await api(`/segments/${segment.id}?store=${STORE}`, { method: 'PATCH', body: { rules: spenders } });
    expect(edited.status).toBe(200);
    expect((await edited.json()) as { segment: SegmentJson }).toMatchObject({ segment: { count: 1, version: 2 } });

    expect((await api(`/segments/${segment.id}?store=${STORE}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api(`/segments/${segment.id}/members?store=${STORE}`)).status).toBe(404);
  });
  it('a consent recorded through the API moves the contact into a consent segment at once, with a segment.entered event', async () => {
    const rules = { version: 1, match: { all: [{ kind: 'consent', channel: 'sms', granted: true }] } };
    const { segment } = (await (await api(`/segments?store=${STORE}`, { method: 'POST', body: { name: { fr: 'SMS ok', en: 'SMS ok' }, rules } })).json()) as { segment: SegmentJson };
    expect(segment.count).toBe(0);
    expect((await api(`/contacts/${bob}/consents?store=${STORE}`, { method: 'POST', body: { channel: 'sms', granted: true } })).status).toBe(201);
    const members = (await (await api(`/segments/${segment.id}/members?store=${STORE}`)).json()) as { members: { contactId: string }[] };
    expect(members.members.map((m) => m.contactId)).toEqual([bob]);
    const entered = await env.DB.prepare(`SELECT contact_id AS c FROM events WHERE store_id = ? AND type = 'segment.entered' AND json_extract(properties, '$.segment') = ?`)
      .bind(STORE, segment.id)
      .all<{ c: string }>();
    expect(entered.results.map((r) => r.c)).toEqual([bob]);
  });
  it('answers invalid rules with a clear 400 naming the problem', async () => {
    const res = await api(`/segments?store=${STORE}`, { method: 'POST', body: { name: { fr: 'X', en: 'X' }, rules: { version: 1, match: { all: [{ kind: 'orders', metric: 'count', op: 'gte' }] } } } });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.message).toContain('rules');
    const noFrench = await api(`/segments?store=${STORE}`, { method: 'POST', body: { name: { en: 'X' }, rules: vipRules } });
    expect(noFrench.status).toBe(400);
  });
  it('refuses to edit or delete a built-in segment (409)', async () => {
    expect((await api(`/segments/rfm-lost?store=${STORE}`, { method: 'DELETE' })).status).toBe(409);
    expect((await api(`/segments/hot-lead?store=${STORE}`, { method: 'PATCH', body: { rules: vipRules } })).status).toBe(409);
  });
});

describe('lead-score settings and contact scores', () => {
  it('GET /api/contacts/:id carries RFM with its method, the decayed lead score and memberships', async () => {
    const res = await api(`/contacts/${ann}?store=${STORE}`);
    const { scores } = (await res.json()) as { scores: { rfm: { method: string; segment: string; name: { fr: string } }; leadScore: { value: number; hot: boolean }; segments: { id: string }[] } };
    expect(scores.rfm).toMatchObject({ method: 'bands', r: 5 });
    expect(scores.rfm.name.fr).toBeTruthy();
    // 80 points thirty days ago, half-life 30 days: 40 now, under the default threshold of 50.
    expect(scores.leadScore.value).toBeCloseTo(40, 0);
    expect(scores.leadScore.hot).toBe(false);
    expect(scores.segments.map((s) => s.id)).toContain(`rfm-${scores.rfm.segment.replaceAll('_', '-')}`);
  });
  it('a lower hot-lead threshold moves the hot-lead segment with it', async () => {
    const put = await api(`/lead-score?store=${STORE}`, { method: 'PUT', body: { ...DEFAULT_LEAD_SETTINGS, hotThreshold: 30 } });
    expect(put.status).toBe(200);
    expect(((await (await api(`/lead-score?store=${STORE}`)).json()) as { settings: { hotThreshold: number } }).settings.hotThreshold).toBe(30);
    await fullSegmentRun(w.d, STORE, Date.now());
    const members = (await (await api(`/segments/hot-lead/members?store=${STORE}`)).json()) as { members: { contactId: string }[] };
    expect(members.members.map((m) => m.contactId)).toEqual([ann]);
    expect((await api(`/lead-score?store=${STORE}`, { method: 'PUT', body: { ...DEFAULT_LEAD_SETTINGS, halfLifeDays: 0 } })).status).toBe(400);
  });
});

describe('erasure', () => {
  it('removes the contact from every segment and drops their scores', async () => {
    const gone = await w.contact('gone');
    await w.order(gone, Date.now() - DAY, 40);
    await setContactTag(w.d, STORE, gone, 'vip', true, Date.now());
    await writeLeadScore(w.d, STORE, gone, { score: 10, at: Date.now(), caps: {} });
    await fullSegmentRun(w.d, STORE, Date.now());
    const count = (sql: string) => env.DB.prepare(sql).bind(STORE, gone).first<{ n: number }>();
    expect((await count('SELECT count(*) AS n FROM segment_members WHERE store_id = ? AND contact_id = ?'))?.n).toBeGreaterThan(0);
    const res = await api(`/contacts/${gone}?store=${STORE}`, { method: 'DELETE' });
    expect(res.status).toBe(200);
    const report = (await res.json()) as { removed: Record<string, number> };
    expect(report.removed.contact_scores).toBe(1);
    expect((await count('SELECT count(*) AS n FROM segment_members WHERE store_id = ? AND contact_id = ?'))?.n).toBe(0);
    expect((await count('SELECT count(*) AS n FROM contact_scores WHERE store_id = ? AND contact_id = ?'))?.n).toBe(0);
  });
});
