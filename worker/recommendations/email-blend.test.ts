import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { executeSendEmail } from '../contacts/executors/send-email';
import { orderHistory, presetContact, presetStore, T0 } from '../contacts/executors/test/preset-store';
import { db } from '../db/client';
import { listContactMessages } from '../db/queries/messages';
import { upsertOrderVersion } from '../db/queries/orders';
import type { SendEmailAction } from '../journeys/actions';
import { rebuildRecommendations } from './refresh';

/** Other shoppers' paid orders: each product line with its quantity. */
async function othersBought(storeId: string, id: number, lines: [number, number][]): Promise<void> {
  const at = T0 - 5 * 86_400_000;
  await upsertOrderVersion(
    db(env.DB),
    { storeId, id, contactId: null, status: 'completed', total: 1, couponCodes: [], attribution: {}, createdAt: at, paidAt: at, sourceModifiedAt: at, updatedAt: at },
    lines.map(([productId, quantity], i) => ({ storeId, orderId: id, lineId: i + 1, productId, name: '', quantity, price: 1, total: 1 })),
  );
}

const welcome3 = (storeId: string): SendEmailAction => ({
  type: 'send_email', template: 'welcome.3', context: { coupons: [] }, params: {}, choices: [], products: [], categories: [], fill: 'bestselling',
  idempotencyKey: `enr-${storeId}:email_3`, flowId: 'welcome', flowVersion: 1, enrollmentId: `enr-${storeId}`, nodeId: 'email_3',
});

describe('recommendations in emails', () => {
  for (const [locale, linova, subject] of [['fr', '39,00\u00a0€', /réflexion/], ['en', '€39.00', /thinking/i]] as const) {
    it(`the welcome email shows the contact's personal blend before the store's bestsellers (${locale})`, async () => {
      const storeId = `recmail-${locale}`;
      const { d, store } = await presetStore(storeId, locale);
      const contact = await presetContact(d, store, `zoe@${storeId}.example`, T0 - 200 * 86_400_000);
      // Others buy Linova with Kokoro and Nerino with Fumo; Ignis, Tempo and Duozo sell the most units.
      for (const id of [1, 2, 3]) await othersBought(storeId, id, [[100, 1], [300, 1]]);
      for (const id of [4, 5]) await othersBought(storeId, id, [[200, 1], [202, 1]]);
      await othersBought(storeId, 6, [[101, 20]]);
      await othersBought(storeId, 7, [[104, 15]]);
      await othersBought(storeId, 8, [[107, 10]]);
      await orderHistory(d, store, contact, 50); // Zoé bought Brasa, then Kokoro and Fumo.
      await rebuildRecommendations(d, storeId, T0);
      expect(await executeSendEmail({ env, d, store, contact, now: T0 }, welcome3(storeId))).toEqual({ status: 'done' });
      const [message] = await listContactMessages(d, storeId, contact.id);
      expect(message?.subject).toMatch(subject);
      const html = message?.html ?? '';
      // Linova and Nerino are bought with what she bought; Ignis is the best seller; nothing she owns.
      for (const name of ['Linova', 'Nerino', 'Ignis']) expect(html).toContain(name);
      for (const name of ['Duozo', 'Kokoro', 'Fumo', 'Brasa']) expect(html).not.toContain(name);
      expect(html).toContain(linova);
      expect(message?.text).toContain('Linova');
    });
  }
});
