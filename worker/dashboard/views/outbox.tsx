import type { MessageListing } from '../../db/queries/dashboard';
import type { Message } from '../../db/queries/messages';
import { formatDate, type DashboardCopy, type Lang } from '../copy';
import { labelOf } from '../copy-values';
import { flowName } from '../flow-copy';
import { Page, storePath } from '../layout';

type StoreView = { id: string; name: string; timezone: string };
type Common = { t: DashboardCopy; lang: Lang; path: string; csrf: string; store: StoreView };

export function OutboxPage(props: Common & { messages: MessageListing[] }) {
  const { t, lang, store } = props;
  return (
    <Page {...props} title={t.outbox.title} active="outbox">
      <section>
        {props.messages.length === 0 ? (
          <p class="muted">{t.outbox.empty}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>{t.outbox.when}</th>
                <th>{t.outbox.flow}</th>
                <th>{t.outbox.step}</th>
                <th>{t.outbox.channel}</th>
                <th>{t.outbox.status}</th>
                <th>{t.outbox.to}</th>
                <th>{t.outbox.subject}</th>
              </tr>
            </thead>
            <tbody>
              {props.messages.map((m) => (
                <tr>
                  <td data-label={t.outbox.when}>{formatDate(lang, m.createdAt, store.timezone)}</td>
                  <td data-label={t.outbox.flow}>{flowName(m.flowId, lang)}</td>
                  <td data-label={t.outbox.step}>{m.stepId ? <code>{m.stepId}</code> : '—'}</td>
                  <td data-label={t.outbox.channel}>{labelOf(t.values.channel, m.channel)}</td>
                  <td data-label={t.outbox.status}>
                    <span class="pill">{t.outbox.statuses[m.status]}</span>
                  </td>
                  <td data-label={t.outbox.to}>{m.to}</td>
                  <td data-label={t.outbox.subject}>
                    <a href={storePath(store.id, `/messages/${encodeURIComponent(m.id)}`)}>{m.subject ?? t.outbox.open}</a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </Page>
  );
}

/**
 * The rendered email is shown in a sandboxed iframe: no scripts, no same-origin access, no forms
 * or navigation of this page; hono/jsx escapes it into the srcdoc attribute.
 */
export function MessagePage(props: Common & { message: Message }) {
  const { t, lang, store, message: m } = props;
  return (
    <Page {...props} title={m.subject ?? t.outbox.detail} active="outbox">
      <section>
        <dl>
          <dt>{t.outbox.when}</dt>
          <dd>{formatDate(lang, m.createdAt, store.timezone)}</dd>
          <dt>{t.outbox.flow}</dt>
          <dd>{flowName(m.flowId, lang)}</dd>
          <dt>{t.outbox.step}</dt>
          <dd>{m.stepId ? <code>{m.stepId}</code> : '—'}</dd>
          <dt>{t.outbox.channel}</dt>
          <dd>{labelOf(t.values.channel, m.channel)}</dd>
          <dt>{t.outbox.status}</dt>
          <dd>{t.outbox.statuses[m.status]}</dd>
          <dt>{t.outbox.to}</dt>
          <dd>
            {m.to} · <a href={storePath(store.id, `/contacts/${encodeURIComponent(m.contactId)}`)}>{t.outbox.contact}</a>
          </dd>
          {m.error && (
            <>
              <dt>{t.outbox.error}</dt>
              <dd>{m.error}</dd>
            </>
          )}
        </dl>
      </section>
      <section>
        <h2>{t.outbox.html}</h2>
        {m.html ? <iframe sandbox="" referrerpolicy="no-referrer" title={t.outbox.html} srcdoc={m.html}></iframe> : <p class="muted">{t.outbox.noHtml}</p>}
      </section>
      <section>
        <h2>{t.outbox.text}</h2>
        <pre>{m.text}</pre>
      </section>
    </Page>
  );
}
