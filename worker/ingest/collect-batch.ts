import type { Db } from '../db/client';
import { consumeOne } from './consumer';
import type { CollectMessage } from './messages';

/** The collect messages of one queue batch. */
export async function consumeCollectBatch(env: Env, d: Db, messages: Message<CollectMessage>[]): Promise<void> {
  await Promise.all(messages.map((message) => consumeOne(env, d, message)));
}
