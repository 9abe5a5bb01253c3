import type { StoreListing } from '../../db/queries/dashboard';
import { formatDate, type DashboardCopy, type Lang } from '../copy';
import { Page, storePath } from '../layout';

type Common = { t: DashboardCopy; lang: Lang; path: string };

export function LoginPage(props: Common & { next: string; failed: boolean; limited?: boolean }) {
  const { t } = props;
  const notice = props.limited ? t.login.tooMany : props.failed ? t.login.invalid : null;
  return (
    <Page {...props} title={t.login.title} notice={notice ? { kind: 'error', text: notice } : undefined}>
      <section class="login">
        <form method="post" action="/admin/login">
          <input type="hidden" name="next" value={props.next} />
          <label>
            {t.login.token}
            <input type="password" name="token" autocomplete="current-password" required autofocus />
          </label>
          <button type="submit">{t.login.submit}</button>
        </form>
      </section>
    </Page>
  );
}

export function ErrorPage(props: Common & { csrf?: string; message: string }) {
  return (
    <Page {...props} title={props.message}>
      <p>
        <a href="/admin/stores">{props.t.errors.back}</a>
      </p>
    </Page>
  );
}

export function StoresPage(props: Common & { csrf: string; stores: StoreListing[] }) {
  const { t } = props;
  return (
    <Page {...props} title={t.stores.title} active="stores">
      <p>
        <a href="/admin/stores/new">{t.connect.add}</a>
      </p>
      <section>
        {props.stores.length === 0 ? (
          <p class="muted">{t.stores.empty}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>{t.stores.name}</th>
                <th>{t.stores.id}</th>
                <th>{t.stores.site}</th>
                <th>{t.stores.connected}</th>
              </tr>
            </thead>
            <tbody>
              {props.stores.map((s) => (
                <tr>
                  <td data-label={t.stores.name}>
                    <a href={storePath(s.id)}>{s.name}</a>
                  </td>
                  <td data-label={t.stores.id}>
                    <code>{s.id}</code>
                  </td>
                  <td data-label={t.stores.site}>{s.siteUrl ?? '—'}</td>
                  <td data-label={t.stores.connected}>{s.connectedAt ? formatDate(props.lang, s.connectedAt, 'UTC') : <span class="muted">{t.stores.notConnected}</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </Page>
  );
}
