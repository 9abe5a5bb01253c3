import type { Db } from '../db/client';
import { consumeOne } from './consumer';
import type { WooDeliveryMessage } from './messages';

/** The WooCommerce deliveries of one queue batch. */
export async function consumeWooBatch(env: Env, d: Db, messages: Message<WooDeliveryMessage>[]): Promise<void> {
  await Promise.all(messages.map((message) => consumeOne(env, d, message)));
}
