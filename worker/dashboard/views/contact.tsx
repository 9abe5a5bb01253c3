import type { ConsentRow, OrderWithItems } from '../../db/queries/admin-views';
import type { Contact } from '../../db/queries/contacts';
import type { EnrollmentRow } from '../../db/queries/enrollments';
import { formatDate, type DashboardCopy, type Lang } from '../copy';
import { Page, storePath } from '../layout';

type StoreView = { id: string; name: string; timezone: string };
type Common = { t: DashboardCopy; lang: Lang; path: string; csrf: string; store: StoreView };

export type ContactDetails = { contact: Contact; consents: ConsentRow[]; orders: OrderWithItems[]; enrollments: EnrollmentRow[] };

function Lookup(props: { t: DashboardCopy; storeId: string; email: string }) {
  const { t } = props;
  return (
    <section>
      <form method="get" action={storePath(props.storeId, '/contacts')}>
        <label>
          {t.contact.lookup}{' '}
          <input type="email" name="email" value={props.email} required size={32} /> <button type="submit">{t.contact.search}</button>
        </label>
      </form>
    </section>
  );
}

function Profile(props: Common & { details: ContactDetails }) {
  const { t, lang, store } = props;
  const c = props.details.contact;
  const name = [c.firstName, c.lastName].filter(Boolean).join(' ');
  return (
    <section>
      <h2>{t.contact.profile}</h2>
      <dl>
        <dt>{t.contact.name}</dt>
        <dd>{name || '—'}</dd>
        <dt>{t.contact.email}</dt>
        <dd>{c.email ?? '—'}</dd>
        <dt>{t.contact.phone}</dt>
        <dd>{c.phone ?? '—'}</dd>
        <dt>{t.contact.locale}</dt>
        <dd>{c.locale ?? '—'}</dd>
        <dt>{t.contact.status}</dt>
        <dd>{c.status}</dd>
        <dt>{t.contact.created}</dt>
        <dd>{formatDate(lang, c.createdAt, store.timezone)}</dd>
      </dl>
    </section>
  );
}

function Consents(props: Common & { details: ContactDetails }) {
  const { t, lang, store } = props;
  const rows = props.details.consents;
  return (
    <section>
      <h2>{t.contact.consents}</h2>
      {rows.length === 0 ? (
        <p class="muted">{t.contact.noConsents}</p>
      ) : (
        <table>
          <tbody>
            {rows.map((r) => (
              <tr>
                <td>{r.channel}</td>
                <td>{r.purpose}</td>
                <td>{r.granted ? t.contact.granted : t.contact.refused}</td>
                <td>{r.source}</td>
                <td>{formatDate(lang, r.occurredAt, store.timezone)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Orders(props: Common & { details: ContactDetails }) {
  const { t, lang, store } = props;
  const orders = props.details.orders;
  return (
    <section>
      <h2>{t.contact.orders}</h2>
      {orders.length === 0 ? (
        <p class="muted">{t.contact.noOrders}</p>
      ) : (
        <table>
          <tbody>
            {orders.map((o) => (
              <tr>
                <td>
                  {t.contact.number} {o.number ?? o.id}
                </td>
                <td>{formatDate(lang, o.createdAt, store.timezone)}</td>
                <td>{o.status}</td>
                <td>{new Intl.NumberFormat(lang, { style: 'currency', currency: o.currency ?? 'EUR' }).format(o.total)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Enrollments(props: Common & { details: ContactDetails }) {
  const { t, lang, store } = props;
  const rows = props.details.enrollments;
  return (
    <section>
      <h2>{t.contact.enrollments}</h2>
      {rows.length === 0 ? (
        <p class="muted">{t.contact.noEnrollments}</p>
      ) : (
        <table>
          <tbody>
            {rows.map((e) => (
              <tr>
                <td>{e.flowId}</td>
                <td>v{e.flowVersion}</td>
                <td>{e.status}</td>
                <td>{formatDate(lang, e.enteredAt, store.timezone)}</td>
                <td>{e.exitReason ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function ContactPage(props: Common & { email: string; details: ContactDetails | null; searched: boolean }) {
  const { t } = props;
  const notice = props.searched && !props.details ? { kind: 'notice' as const, text: t.contact.notFound(props.email) } : undefined;
  return (
    <Page {...props} title={t.contact.title} active="contacts" notice={notice}>
      <Lookup t={t} storeId={props.store.id} email={props.email} />
      {props.details && (
        <>
          <Profile {...props} details={props.details} />
          <div class="grid">
            <Consents {...props} details={props.details} />
            <Orders {...props} details={props.details} />
          </div>
          <Enrollments {...props} details={props.details} />
        </>
      )}
    </Page>
  );
}
