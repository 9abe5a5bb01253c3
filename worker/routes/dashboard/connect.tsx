import { Hono } from 'hono';
import { z } from 'zod';
import { queueDeps, startCatalogRun } from '../../catalog/catalog-import';
import { encodeConnectCode } from '../../connect/connect-code';
import { createStore, newConnectCode } from '../../connect/create-store';
import { rotateSecret } from '../../connect/rotate-secret';
import { DEFAULT_GRACE_MINUTES } from '../../connect/secrets';
import { formatDate } from '../../dashboard/copy';
import { storePath, type PageProps } from '../../dashboard/layout';
import { ConnectCodePage, ConnectionPage, NewStorePage, type NewStoreField } from '../../dashboard/views/connect';
import { db } from '../../db/client';
import { latestCatalogRun } from '../../db/queries/catalog';
import { findStoreSettings } from '../../db/queries/store-settings';
import { AppError } from '../../errors';
import { CreateStoreBody } from '../stores';
import { base, requireDashboardStore, type DashboardContext, type DashboardEnv } from './context';

const Notice = z.enum(['import_started', 'import_running', 'rotated', 'rotate_failed']).optional().catch(undefined);
export const ConnectionQuery = z.object({ notice: Notice });
const NewStoreFieldName = z.enum(['id', 'name', 'siteUrl', 'locale', 'timezone']);
export type ConnectionQuery = z.infer<typeof ConnectionQuery>;

async function renderConnection(c: DashboardContext, notice?: PageProps['notice'], status: 200 | 502 = 200) {
  const store = await requireDashboardStore(c);
  const d = db(c.env.DB);
  const [settings, run] = await Promise.all([findStoreSettings(d, store.id), latestCatalogRun(d, store.id)]);
  const hasKeys = Boolean(settings?.wooConsumerKey && settings.wooConsumerSecret);
  const page = <ConnectionPage {...base(c)} path={storePath(store.id, '/connection')} store={store} hasKeys={hasKeys} run={run} now={Date.now()} notice={notice} />;
  return c.html(page, status);
}

function noticeText(c: DashboardContext, notice: ConnectionQuery['notice'], until: string): PageProps['notice'] {
  const t = c.get('t').connect;
  if (notice === 'import_started') return { kind: 'notice', text: t.importStarted };
  if (notice === 'import_running') return { kind: 'notice', text: t.importRunning };
  if (notice === 'rotated') return { kind: 'notice', text: t.rotated(until) };
  return undefined;
}

/** Adding a store (its connect code), and a store's WooCommerce connection: new code, catalogue import, secret rotation. */
export const connectPages = new Hono<DashboardEnv>()
  .get('/new', (c) => c.html(<NewStorePage {...base(c)} values={{}} />))
  .post('/new', async (c) => {
    const form = c.get('form');
    const t = c.get('t');
    const parsed = CreateStoreBody.safeParse({
      id: form.id?.trim(), name: form.name, siteUrl: form.siteUrl?.trim() || undefined,
      locale: form.locale, timezone: form.timezone?.trim() || undefined,
    });
    if (!parsed.success) {
      // Each refusal in the admin's words next to its field; zod's own text never reaches the page.
      const errors: Partial<Record<NewStoreField, string>> = {};
      for (const issue of parsed.error.issues) {
        const field = NewStoreFieldName.safeParse(issue.path[0]);
        if (field.success) errors[field.data] ??= t.connect.field[field.data];
      }
      return c.html(<NewStorePage {...base(c)} values={form} errors={errors} notice={{ kind: 'error', text: t.connect.refused }} />, 400);
    }
    try {
      const { store, connectToken } = await createStore(db(c.env.DB), parsed.data, Date.now());
      const code = encodeConnectCode({ workerUrl: new URL(c.req.url).origin, storeId: store.id, connectToken });
      return c.html(<ConnectCodePage {...base(c)} store={store} code={code} notice={{ kind: 'notice', text: t.connect.created(store.name) }} />, 201);
    } catch (err) {
      if (!(err instanceof AppError) || err.status !== 409) throw err;
      return c.html(<NewStorePage {...base(c)} values={form} errors={{ id: t.connect.field.taken }} notice={{ kind: 'error', text: t.connect.refused }} />, 409);
    }
  })
  .get('/:store/connection', async (c) => {
    const store = await requireDashboardStore(c);
    const q = ConnectionQuery.parse(c.req.query());
    return renderConnection(c, noticeText(c, q.notice, formatDate(c.get('lang'), store.previousSecretUntil, store.timezone)));
  })
  .post('/:store/connection/code', async (c) => {
    const store = await requireDashboardStore(c);
    const code = await newConnectCode(db(c.env.DB), store, new URL(c.req.url).origin, Date.now());
    return c.html(<ConnectCodePage {...base(c)} store={store} code={code} notice={{ kind: 'notice', text: c.get('t').connect.newCodeDone }} />);
  })
  .post('/:store/connection/import', async (c) => {
    const store = await requireDashboardStore(c);
    const run = await startCatalogRun(c.env, queueDeps(c.env), store.id, 'manual', Date.now());
    return c.redirect(`${storePath(store.id, '/connection')}?notice=${run.started ? 'import_started' : 'import_running'}`, 303);
  })
  .post('/:store/connection/rotate', async (c) => {
    const store = await requireDashboardStore(c);
    try {
      await rotateSecret(c.env, (input, init) => fetch(input, init), store, DEFAULT_GRACE_MINUTES * 60_000, Date.now());
    } catch (err) {
      if (!(err instanceof AppError) || (err.status !== 502 && err.status !== 409)) throw err;
      return renderConnection(c, { kind: 'error', text: c.get('t').connect.rotateFailed }, 502);
    }
    return c.redirect(`${storePath(store.id, '/connection')}?notice=rotated`, 303);
  });
