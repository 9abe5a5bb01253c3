import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { executeSendEmail } from '../contacts/executors/send-email';
import { seedExecutorContext } from '../contacts/executors/test/seed';
import { appendConsents } from '../db/queries/consents';
import { listEventsOfContact } from '../db/queries/events';
import { listContactMessages } from '../db/queries/messages';
import type { SendEmailAction } from '../journeys/actions';
import { completeSender } from '../test/sender';

const NOW = Date.UTC(2026, 10, 24, 10, 0, 0);

describe('lead nurture "choose your path" links', () => {
  it('a choice link in the sent email comes back to the journey as message.clicked with its linkKey', async () => {
    const ctx = await seedExecutorContext('choice-path', NOW, {}, { locale: 'fr' });
    await completeSender(ctx.d, 'choice-path');
    await appendConsents(ctx.d, [{ storeId: 'choice-path', contactId: ctx.contact.id, channel: 'email', purpose: 'marketing', granted: true, source: 'checkout', occurredAt: NOW - 1000 }]);
    const action: SendEmailAction = {
      type: 'send_email',
      idempotencyKey: 'enr_lead:choose',
      flowId: 'lead-nurture',
      flowVersion: 1,
      enrollmentId: 'enr_lead',
      nodeId: 'choose',
      template: 'lead_nurture.choice',
      context: { coupons: [] },
      params: {},
      choices: [
        { key: 'a', label: 'Barbecues' },
        { key: 'b', label: 'Plancha' },
      ],
      products: [],
      categories: [],
    };
    expect(await executeSendEmail(ctx, action)).toEqual({ status: 'done' });
    const [message] = await listContactMessages(ctx.d, 'choice-path', ctx.contact.id);
    const html = message?.html ?? '';
    const anchor = /<a\b[^>]*href="([^"]+\/c\/[^"]+)"[^>]*>\s*Plancha\s*<\/a>/.exec(html);
    expect(anchor, html).not.toBeNull();
    const tracked = new URL(anchor?.[1] ?? '');

    const res = await SELF.fetch(`https://ns.test${tracked.pathname}`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(new URL(res.headers.get('Location') ?? '').searchParams.get('nightshift_choice')).toBe('b');
    const clicked = (await listEventsOfContact(ctx.d, 'choice-path', ctx.contact.id)).filter((e) => e.type === 'message.clicked');
    expect(clicked).toHaveLength(1);
    expect(clicked[0]?.properties).toMatchObject({ linkKey: 'b', message: { enrollmentId: 'enr_lead', nodeId: 'choose', linkKey: 'b' } });
  });
});
