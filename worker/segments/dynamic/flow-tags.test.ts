import { env, runDurableObjectAlarm } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { contactAgentName, type OrderPaid } from '../../contacts/domain-events';
import { listContactProperties, listContactTags } from '../../db/queries/contact-tags';
import { listContactEnrollments } from '../../db/queries/enrollments';
import { installFlows } from '../../db/queries/flows';
import { allMembers } from '../../db/queries/segment-members';
import { Flow } from '../../journeys/flow-schema';
import { createSegment } from './segment-admin';
import { segmentWorld } from './test/world';

const HOUR = 3_600_000;

/** A flow that tags a buyer an hour after payment, and one that starts when the tag's segment gains a member. */
function flows(vipSegment: string): Flow[] {
  const common = { schemaVersion: 1, version: 1, settings: {}, enabled: true, holdoutPercent: 0 } as const;
  return [
    Flow.parse({
      ...common, id: 'tag-buyers', name: 'Tag buyers',
      nodes: [
        { type: 'trigger', id: 'start', on: { kind: 'event', event: 'order.paid' }, next: 'later' },
        { type: 'wait', id: 'later', until: { kind: 'duration', duration: '1h' }, next: 'tag' },
        { type: 'set_tag', id: 'tag', tag: 'vip' },
      ],
    }),
    Flow.parse({
      ...common, id: 'vip-welcome', name: 'VIP welcome',
      nodes: [
        { type: 'trigger', id: 'start', on: { kind: 'segment', segment: vipSegment, change: 'entered' }, next: 'mark' },
        { type: 'set_property', id: 'mark', key: 'vip_welcomed', value: true },
      ],
    }),
  ];
}

describe('segments follow the tags and properties flow steps set', () => {
  it('a tag set on the alarm puts the contact in its segment at once, which starts the flow on that segment, whose property enters its own', async () => {
    const w = await segmentWorld('seg-flow-tags');
    const now = Date.now();
    const buyer = await w.contact('buyer');
    const tagged = await createSegment(w.d, w.storeId, { name: { fr: 'VIP', en: 'VIP' }, rules: { version: 1, match: { all: [{ kind: 'tag', tag: 'vip' }] } } }, now);
    const welcomed = await createSegment(
      w.d, w.storeId, { name: { fr: 'VIP accueillis', en: 'VIP welcomed' }, rules: { version: 1, match: { all: [{ kind: 'property', key: 'vip_welcomed', op: 'eq', value: true }] } } }, now,
    );
    await installFlows(w.d, w.storeId, flows(tagged.id), now);
    const agent = env.CONTACT_AGENT.getByName(contactAgentName(w.storeId, buyer));
    // Paid two hours ago: the hour's wait is due when the alarm rings.
    const paidAt = now - 2 * HOUR;
    const paid: OrderPaid = { id: 'order:1:paid', storeId: w.storeId, contactId: buyer, occurredAt: paidAt, type: 'order.paid', orderId: 1, number: null, total: 80, currency: 'EUR', couponCodes: [], lines: [] };
    await agent.recordEvents([paid], paidAt);
    expect(await listContactTags(w.d, w.storeId, buyer)).toEqual([]);
    expect(await allMembers(w.d, w.storeId, tagged.id)).toEqual([]);

    await runDurableObjectAlarm(agent);
    expect(await listContactTags(w.d, w.storeId, buyer)).toEqual(['vip']);
    expect(await allMembers(w.d, w.storeId, tagged.id)).toEqual([buyer]);
    expect((await listContactEnrollments(w.d, w.storeId, buyer)).map((e) => e.flowId).sort()).toEqual(['tag-buyers', 'vip-welcome']);
    expect(await listContactProperties(w.d, w.storeId, buyer)).toEqual({ vip_welcomed: true });
    expect(await allMembers(w.d, w.storeId, welcomed.id)).toEqual([buyer]);
    // Recorded like any entry: in D1 for the timeline, and in the agent's own log.
    const logged = (await agent.listEvents()).filter((e) => e.type === 'segment.entered').map((e) => (e.type === 'segment.entered' ? e.segment : ''));
    expect(logged.sort()).toEqual([tagged.id, welcomed.id].sort());
    const rows = await w.d.all<{ n: number }>(`SELECT count(*) AS n FROM events WHERE store_id = 'seg-flow-tags' AND type = 'segment.entered'` as never);
    expect(rows[0]?.n).toBe(2);
  });
});
