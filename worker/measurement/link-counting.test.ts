import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { seedExecutorContext } from '../contacts/executors/test/seed';
import type { ExecutorContext } from '../contacts/executors/types';
import { linkSigningKey } from '../db/queries/store-settings';
import { importTokenKey } from '../lib/tokens';
import { clickUrl, openPixelUrl, unsubscribeUrl, type LinkSigning } from '../messaging/email/links';
import { enroll, HOUR, HUMAN_AGENT, rollupByStep, sendFlowMessage } from '../test/measurement-fixtures';
import { isHumanClick, isHumanOpen } from './classify';

const BASE = 'https://ns.test';
const FLOW = 'abandoned-cart';

async function signing(ctx: ExecutorContext): Promise<LinkSigning> {
  return { baseUrl: BASE, key: await importTokenKey(await linkSigningKey(ctx.d, ctx.store.id, Date.now())) };
}

/** A flow email sent an hour ago (the routes stamp engagement with the real clock). */
async function sentEmail(ctx: ExecutorContext, id: string, stepId: string) {
  const sentAt = Date.now() - HOUR;
  await enroll(ctx.store.id, ctx.contact.id, 'enr_1', FLOW, 4, sentAt);
  await sendFlowMessage(ctx.store.id, ctx.contact.id, { id, flowId: FLOW, stepId, enrollmentId: 'enr_1', sentAt });
}

const fetchAs = (url: string, userAgent: string | null, method = 'GET') =>
  SELF.fetch(url, { method, redirect: 'manual', headers: userAgent === null ? {} : { 'User-Agent': userAgent } });

describe('classification of opens and clicks', () => {
  const sentAt = 1_000_000;
  it('takes bare Mozilla/5.0 (Apple MPP), image proxies, bots and opens within 5 s of the send for machines', () => {
    expect(isHumanOpen({ userAgent: HUMAN_AGENT, at: sentAt + 60_000, sentAt })).toBe(true);
    expect(isHumanOpen({ userAgent: 'Mozilla/5.0', at: sentAt + 60_000, sentAt })).toBe(false);
    expect(isHumanOpen({ userAgent: 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)', at: sentAt + 60_000, sentAt })).toBe(false);
    expect(isHumanOpen({ userAgent: HUMAN_AGENT, at: sentAt + 4_999, sentAt })).toBe(false);
    expect(isHumanOpen({ userAgent: HUMAN_AGENT, at: sentAt + 5_000, sentAt })).toBe(true);
  });
  it('filters HEAD probes, scanner agents and clicks within 10 s of the send', () => {
    expect(isHumanClick({ userAgent: HUMAN_AGENT, at: sentAt + 10_000, sentAt, method: 'GET' })).toBe(true);
    expect(isHumanClick({ userAgent: HUMAN_AGENT, at: sentAt + 9_999, sentAt, method: 'GET' })).toBe(false);
    expect(isHumanClick({ userAgent: HUMAN_AGENT, at: sentAt + 60_000, sentAt, method: 'HEAD' })).toBe(false);
    expect(isHumanClick({ userAgent: 'Mozilla/5.0 (compatible; Mimecast URL Protect)', at: sentAt + 60_000, sentAt })).toBe(false);
    expect(isHumanClick({ userAgent: '', at: sentAt + 60_000, sentAt })).toBe(false);
  });
});

describe('our link routes count into the flow results', () => {
  it('GET /c/: a HEAD probe and a scanner are counted apart once; a person counts once however often they click', async () => {
    const ctx = await seedExecutorContext('count-clicks', Date.now());
    await sentEmail(ctx, 'cc-1', 'email_1');
    const url = await clickUrl(await signing(ctx), 'cc-1', 0, 'https://count-clicks.shop.test/cart');
    expect((await fetchAs(url, HUMAN_AGENT, 'HEAD')).status).toBe(302);
    expect((await fetchAs(url, 'Mozilla/5.0 (compatible; Barracuda Sentinel)')).status).toBe(302);
    expect((await rollupByStep('count-clicks', FLOW)).email_1).toMatchObject({ clicked: 0, clicked_filtered: 1 });
    for (let i = 0; i < 3; i++) expect((await fetchAs(url, HUMAN_AGENT)).status).toBe(302);
    expect((await rollupByStep('count-clicks', FLOW)).email_1).toMatchObject({ sent: 1, clicked: 1, clicked_filtered: 1 });
  });

  it('GET /o/: an MPP prefetch counts as a machine open, a person once', async () => {
    const ctx = await seedExecutorContext('count-opens', Date.now());
    await sentEmail(ctx, 'co-1', 'email_2');
    const url = await openPixelUrl(await signing(ctx), 'co-1');
    expect((await fetchAs(url, 'Mozilla/5.0')).status).toBe(200);
    for (let i = 0; i < 2; i++) expect((await fetchAs(url, HUMAN_AGENT)).status).toBe(200);
    expect((await rollupByStep('count-opens', FLOW)).email_2).toMatchObject({ opened_machine: 1, opened_human: 1 });
  });

  it('POST /u/: counts the unsubscribe on the message whose link was used, or the newest flow email, once', async () => {
    const ctx = await seedExecutorContext('count-unsub', Date.now());
    await sentEmail(ctx, 'cu-1', 'email_1');
    await sentEmail(ctx, 'cu-2', 'email_2');
    const s = await signing(ctx);
    const named = await unsubscribeUrl(s, { storeId: ctx.store.id, contactId: ctx.contact.id, sendId: 'cu-1' });
    const bare = await unsubscribeUrl(s, { storeId: ctx.store.id, contactId: ctx.contact.id, sendId: null });
    for (const url of [named, named, bare, bare]) expect((await SELF.fetch(url, { method: 'POST' })).status).toBe(200);
    const rolled = await rollupByStep('count-unsub', FLOW);
    expect([rolled.email_1?.unsubscribed, rolled.email_2?.unsubscribed]).toEqual([1, 1]);
  });
});
