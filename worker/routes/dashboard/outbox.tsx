import { Hono } from 'hono';
import { db } from '../../db/client';
import { listStoreMessages } from '../../db/queries/dashboard';
import { findMessage } from '../../db/queries/messages';
import { MessagePage, OutboxPage } from '../../dashboard/views/outbox';
import { notFound } from '../../errors';
import { base, requireDashboardStore, type DashboardEnv } from './context';

const OUTBOX_LIMIT = 100;

/** The store's latest messages with their rendered content. */
export const outboxPages = new Hono<DashboardEnv>()
  .get('/:store/messages', async (c) => {
    const store = await requireDashboardStore(c);
    const messages = await listStoreMessages(db(c.env.DB), store.id, OUTBOX_LIMIT);
    return c.html(<OutboxPage {...base(c)} store={store} messages={messages} />);
  })
  .get('/:store/messages/:id', async (c) => {
    const store = await requireDashboardStore(c);
    const message = await findMessage(db(c.env.DB), store.id, c.req.param('id'));
    if (!message) throw notFound(`Message ${c.req.param('id')}`);
    return c.html(<MessagePage {...base(c)} store={store} message={message} />);
  });
