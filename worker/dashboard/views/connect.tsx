import type { CatalogRun } from '../../db/queries/catalog';
import type { Store } from '../../db/queries/stores';
import { formatDate, type DashboardCopy, type Lang } from '../copy';
import { CsrfField, Page, storePath, type PageProps } from '../layout';

type Common = { t: DashboardCopy; lang: Lang; path: string; csrf: string; notice?: PageProps['notice'] };

export type NewStoreValues = { id?: string; name?: string; siteUrl?: string; locale?: string; timezone?: string };

export function NewStorePage(props: Common & { values: NewStoreValues }) {
  const { t, values } = props;
  return (
    <Page {...props} title={t.connect.newTitle} active="stores">
      <section>
        <form method="post" action="/admin/stores/new">
          <CsrfField token={props.csrf} />
          <label>
            {t.connect.name}
            <input name="name" required maxlength={200} value={values.name ?? ''} />
          </label>
          <label>
            {t.connect.id}
            <input name="id" required pattern="[a-z0-9][a-z0-9-]*[a-z0-9]" maxlength={64} value={values.id ?? ''} />
          </label>
          <label>
            {t.connect.siteUrl}
            <input name="siteUrl" type="url" required placeholder="https://shop.example.com" value={values.siteUrl ?? ''} />
          </label>
          <label>
            {t.connect.locale}
            <select name="locale">
              <option value="fr" selected={values.locale !== 'en'}>{t.lang.fr}</option>
              <option value="en" selected={values.locale === 'en'}>{t.lang.en}</option>
            </select>
          </label>
          <label>
            {t.connect.timezone}
            <input name="timezone" value={values.timezone ?? 'Europe/Paris'} />
          </label>
          <button type="submit">{t.connect.create}</button>
        </form>
      </section>
    </Page>
  );
}

/** Shown once, right after the code is made: only its token's hash is kept. */
export function ConnectCodePage(props: Common & { store: Store; code: string }) {
  const { t } = props;
  return (
    <Page {...props} title={t.connect.codeTitle} store={props.store} active="connection">
      <section>
        <p>{t.connect.codeHelp}</p>
        <pre id="connect-code">{props.code}</pre>
        <p class="muted">{t.connect.codeOnce}</p>
        <p>
          <a href={storePath(props.store.id, '/connection')}>{t.connect.title}</a>
        </p>
      </section>
    </Page>
  );
}

export function ConnectionPage(props: Common & { store: Store; hasKeys: boolean; run: CatalogRun | undefined; now: number }) {
  const { t, lang, store, run } = props;
  const action = (rest: string) => storePath(store.id, `/connection/${rest}`);
  return (
    <Page {...props} title={t.connect.title} store={store} active="connection">
      <section>
        <dl>
          <dt>{t.connect.connected}</dt>
          <dd>{store.connectedAt ? formatDate(lang, store.connectedAt, store.timezone) : t.connect.notConnected}</dd>
          <dt>{t.connect.restKeys}</dt>
          <dd>{props.hasKeys ? t.connect.keysSet : t.connect.keysMissing}</dd>
        </dl>
        <form method="post" action={action('code')}>
          <CsrfField token={props.csrf} />
          <button type="submit">{t.connect.newCode}</button>
        </form>
      </section>
      <section>
        <h2>{t.connect.catalog}</h2>
        {run ? (
          <dl>
            <dt>{t.connect.lastRun}</dt>
            <dd>
              {formatDate(lang, run.startedAt, store.timezone)} · {t.connect.runStatus[run.status]} · {t.connect.runSummary(run.productsSeen, run.markedMissing)}
              {run.error ? ` · ${run.error}` : ''}
            </dd>
          </dl>
        ) : (
          <p class="muted">{t.connect.noRun}</p>
        )}
        {props.hasKeys && (
          <form method="post" action={action('import')}>
            <CsrfField token={props.csrf} />
            <button type="submit">{t.connect.importNow}</button>
          </form>
        )}
      </section>
      <section>
        <h2>{t.connect.secret}</h2>
        {store.previousWebhookSecret && (store.previousSecretUntil ?? 0) > props.now && (
          <p>
            {t.connect.previousUntil} {formatDate(lang, store.previousSecretUntil, store.timezone)}
          </p>
        )}
        <p class="muted">{t.connect.rotateHelp}</p>
        {store.connectedAt && (
          <form method="post" action={action('rotate')}>
            <CsrfField token={props.csrf} />
            <button type="submit">{t.connect.rotate}</button>
          </form>
        )}
      </section>
    </Page>
  );
}
