import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { setContactTag } from '../../db/queries/contact-tags';
import { createSegment } from '../../segments/dynamic/segment-admin';
import { checkSend } from './index';
import { DAY, request, send, T0, world, type World } from './test/world';

const auth = { Authorization: `Bearer ${env.ADMIN_TOKEN}`, 'Content-Type': 'application/json' };

/** A store whose segment "At risk (tagged)" holds `member` and not `other`, with the rule the owner PUT on it. */
async function scoped(storeId: string, rule: unknown, createdAt?: number): Promise<{ member: World; other: World; segmentId: string }> {
  const member = await world(storeId, { smsConsent: true, createdAt });
  const other = await world(storeId, { email: `other@${storeId}.test`, smsConsent: true, createdAt });
  await setContactTag(member.d, storeId, member.contact.id, 'at-risk', true, T0 - 2 * DAY);
  const segment = await createSegment(member.d, storeId, { name: { fr: 'À risque (tag)', en: 'At risk (tag)' }, rules: { version: 1, match: { all: [{ kind: 'tag', tag: 'at-risk' }] } } }, T0 - DAY);
  expect(segment.count).toBe(1);
  const res = await SELF.fetch(`https://ns.test/api/stores/${storeId}/guardrails/segments/${segment.id}`, { method: 'PUT', headers: auth, body: JSON.stringify(rule) });
  expect(res.status).toBe(200);
  return { member, other, segmentId: segment.id };
}

describe('guardrails scoped to a segment', () => {
  it('caps members at one promotional email in seven days; a non-member keeps the store caps', async () => {
    const { member, other } = await scoped('st_seg_cap', { cap: 1, windowDays: 7 });
    for (const w of [member, other]) expect((await send(w, request({ idempotencyKey: `${w.contact.id}:a:email_1` }), T0 - 2 * DAY)).action).toBe('send');
    expect(await checkSend(member.ctx(T0), request())).toEqual({ action: 'defer', until: T0 - 2 * DAY + 7 * DAY + 5 * 60_000, reason: 'frequency_cap_segment' });
    expect(await checkSend(member.ctx(T0), request({ onCap: 'skip' }))).toEqual({ action: 'skip', reason: 'frequency_cap_segment' });
    expect((await checkSend(other.ctx(T0), request())).action).toBe('send');
    // Per channel: the member's first SMS of the week still goes; a reminder they asked for is not capped.
    expect((await checkSend(member.ctx(T0), request({ channel: 'sms' }))).action).toBe('send');
    expect((await checkSend(member.ctx(T0), request({ transactional: true, flowId: 'abandoned-cart' }))).action).toBe('send');
  });

  it('excludes members from promotional sends on every channel, not reminders; leaving the segment lifts it', async () => {
    const { member, other } = await scoped('st_seg_excl', { exclude: true });
    expect(await checkSend(member.ctx(T0), request())).toEqual({ action: 'skip', reason: 'segment_excluded' });
    expect(await checkSend(member.ctx(T0), request({ channel: 'sms' }))).toEqual({ action: 'skip', reason: 'segment_excluded' });
    expect((await checkSend(member.ctx(T0), request({ transactional: true, flowId: 'abandoned-cart' }))).action).toBe('send');
    expect((await checkSend(other.ctx(T0), request())).action).toBe('send');
    await SELF.fetch(`https://ns.test/api/stores/st_seg_excl/guardrails/segments/${(await listed('st_seg_excl'))[0]!.segmentId}`, { method: 'DELETE', headers: auth });
    expect((await checkSend(member.ctx(T0), request())).action).toBe('send');
  });

  it('puts members to sleep sooner than the store does: 30 days without activity instead of 90', async () => {
    const { member, other } = await scoped('st_seg_hib', { hibernationDays: 30 }, T0 - 40 * DAY);
    expect(await checkSend(member.ctx(T0), request())).toEqual({ action: 'skip', reason: 'hibernated' });
    expect((await checkSend(other.ctx(T0), request())).action).toBe('send');
    // A longer delay than the store's changes nothing: the shorter one wins.
    await SELF.fetch(`https://ns.test/api/stores/st_seg_hib/guardrails/segments/${(await listed('st_seg_hib'))[0]!.segmentId}`, { method: 'PUT', headers: auth, body: '{"hibernationDays":365}' });
    expect((await checkSend(member.ctx(T0), request())).action).toBe('send');
  });

  it('lists the rules with their segment names, and refuses a rule that does nothing or names no segment of the store', async () => {
    const { segmentId } = await scoped('st_seg_api', { cap: 2, windowDays: 14 });
    expect(await listed('st_seg_api')).toEqual([{ segmentId, exclude: false, cap: 2, windowDays: 14, hibernationDays: null, nameFr: 'À risque (tag)', nameEn: 'At risk (tag)', updatedAt: expect.any(Number) }]);
    const put = (id: string, body: unknown) => SELF.fetch(`https://ns.test/api/stores/st_seg_api/guardrails/segments/${id}`, { method: 'PUT', headers: auth, body: JSON.stringify(body) });
    expect((await put(segmentId, {})).status).toBe(400);
    expect((await put(segmentId, { cap: 0 })).status).toBe(400);
    expect((await put(segmentId, { hibernationDays: 3 })).status).toBe(400);
    expect((await put(segmentId, { exclude: true, extra: 1 })).status).toBe(400);
    expect((await put('seg_nope', { exclude: true })).status).toBe(404);
    expect((await SELF.fetch(`https://ns.test/api/stores/st_seg_api/guardrails/segments/${segmentId}`, { method: 'PUT', body: '{"exclude":true}' })).status).toBe(401);
  });
});

async function listed(storeId: string): Promise<{ segmentId: string }[]> {
  const res = await SELF.fetch(`https://ns.test/api/stores/${storeId}/guardrails`, { headers: auth });
  return ((await res.json()) as { segments: { segmentId: string }[] }).segments;
}
