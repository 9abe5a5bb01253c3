import type { CatalogRun } from '../../db/queries/catalog';
import type { Store } from '../../db/queries/stores';
import { formatDate, type DashboardCopy, type Lang } from '../copy';
import { CsrfField, FieldError, Page, storePath, type PageProps } from '../layout';

type Common = { t: DashboardCopy; lang: Lang; path: string; csrf: string; notice?: PageProps['notice'] };

export type NewStoreValues = { id?: string; name?: string; siteUrl?: string; locale?: string; timezone?: string };
export type NewStoreField = keyof NewStoreValues;

/** One labelled input of the new-store form with its refusal next to it. */
function StoreField(props: { name: NewStoreField; label: string; errors: Partial<Record<NewStoreField, string>>; children: (aria: Record<string, string | undefined>) => unknown }) {
  const id = `f-${props.name}`;
  const error = props.errors[props.name];
  const aria = { id, 'aria-invalid': error ? 'true' : undefined, 'aria-describedby': error ? `${id}-err` : undefined };
  return (
    <div class="field-plain">
      <label for={id}>{props.label}</label>
      {props.children(aria)}
      <FieldError id={`${id}-err`} errors={error ? [error] : undefined} />
    </div>
  );
}

export function NewStorePage(props: Common & { values: NewStoreValues; errors?: Partial<Record<NewStoreField, string>> }) {
  const { t, values } = props;
  const errors = props.errors ?? {};
  return (
    <Page {...props} title={t.connect.newTitle} active="stores">
      <section>
        <form method="post" action="/admin/stores/new" novalidate>
          <CsrfField token={props.csrf} />
          <StoreField name="name" label={t.connect.name} errors={errors}>
            {(aria) => <input {...aria} name="name" required maxlength={200} value={values.name ?? ''} />}
          </StoreField>
          <StoreField name="id" label={t.connect.id} errors={errors}>
            {(aria) => <input {...aria} name="id" required pattern="[a-z0-9][a-z0-9-]*[a-z0-9]" maxlength={64} value={values.id ?? ''} />}
          </StoreField>
          <StoreField name="siteUrl" label={t.connect.siteUrl} errors={errors}>
            {(aria) => <input {...aria} name="siteUrl" type="url" required placeholder="https://shop.example.com" value={values.siteUrl ?? ''} />}
          </StoreField>
          <StoreField name="locale" label={t.connect.locale} errors={errors}>
            {(aria) => (
              <select {...aria} name="locale">
                <option value="fr" selected={values.locale !== 'en'}>{t.lang.fr}</option>
                <option value="en" selected={values.locale === 'en'}>{t.lang.en}</option>
              </select>
            )}
          </StoreField>
          <StoreField name="timezone" label={t.connect.timezone} errors={errors}>
            {(aria) => <input {...aria} name="timezone" value={values.timezone ?? 'Europe/Paris'} />}
          </StoreField>
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
