import { describe, expect, it } from 'vitest';
import { listAudienceForExport } from '../../db/queries/audiences';
import { findPrompt } from '../../db/queries/prompts';
import { prompts } from '../../db/schema';
import type { ShowPromptAction } from '../../journeys/actions';
import { executeAddToAudience } from './add-to-audience';
import { executeShowPrompt } from './show-prompt';
import { origin, seedExecutorContext } from './test/seed';
import { appendConsents } from '../../db/queries/consents';

const NOW = Date.UTC(2026, 10, 24, 21, 0, 0);
const HOUR = 3_600_000;

function prompt(enrollment: string, over: Partial<ShowPromptAction> = {}): ShowPromptAction {
  return { ...origin(enrollment, 'onsite'), type: 'show_prompt', template: 'cart.prompt', context: { coupons: [] }, expiresAt: NOW + 24 * HOUR, ...over };
}

describe('show_prompt and add_to_audience executors', () => {
  it('stores one prompt per idempotency key', async () => {
    const ctx = await seedExecutorContext('exec-prompt', NOW);
    expect(await executeShowPrompt(ctx, prompt('enr_1'))).toEqual({ status: 'done' });
    expect(await executeShowPrompt({ ...ctx, now: NOW + 1000 }, prompt('enr_1'))).toEqual({ status: 'done' });
    const rows = await ctx.d.select().from(prompts).all();
    const mine = rows.filter((r) => r.storeId === 'exec-prompt');
    expect(mine).toHaveLength(1);
    expect(await findPrompt(ctx.d, 'exec-prompt', mine[0]?.id ?? '')).toMatchObject({ contactId: ctx.contact.id, template: 'cart.prompt', createdAt: NOW, expiresAt: NOW + 24 * HOUR });
  });

  it('skips unknown templates and prompts that expired before they were stored', async () => {
    const ctx = await seedExecutorContext('exec-prompt-skip', NOW);
    expect(await executeShowPrompt(ctx, prompt('enr_2', { template: 'nope' }))).toMatchObject({ status: 'skipped' });
    expect(await executeShowPrompt(ctx, prompt('enr_3', { expiresAt: NOW }))).toMatchObject({ status: 'skipped' });
  });

  it('adds a contact to an audience once, whichever enrollment asks', async () => {
    const ctx = await seedExecutorContext('exec-audience', NOW, {}, { phone: '+33612345678' });
    const grant = { storeId: 'exec-audience', contactId: ctx.contact.id, purpose: 'marketing' as const, granted: true, source: 'checkout' as const, occurredAt: NOW - 1 };
    await appendConsents(ctx.d, [{ ...grant, channel: 'email' }, { ...grant, channel: 'sms' }]);
    const add = (enrollment: string) => ({ ...origin(enrollment, 'retarget'), type: 'add_to_audience' as const, audience: 'cart_abandoners' });
    expect(await executeAddToAudience(ctx, add('enr_1'))).toEqual({ status: 'done' });
    expect(await executeAddToAudience(ctx, add('enr_1'))).toEqual({ status: 'done' });
    expect(await executeAddToAudience(ctx, add('enr_2'))).toEqual({ status: 'done' });
    expect(await listAudienceForExport(ctx.d, 'exec-audience', 'cart_abandoners')).toEqual([
      { contactId: ctx.contact.id, email: 'ann@exec-audience.example', phone: '+33612345678' },
    ]);
  });
});
