import type { ContactListRow, ContactPage as ContactResult, ContactCursor } from '../../db/queries/contact-search';
import type { Contact } from '../../db/queries/contacts';
import { formatDate, type DashboardCopy, type Lang } from '../copy';
import { CsrfField, Page, storePath, type PageProps } from '../layout';

type StoreView = { id: string; name: string; timezone: string };
export type ContactsCommon = { t: DashboardCopy; lang: Lang; path: string; csrf: string; store: StoreView };
export type SegmentOption = { value: string; label: string };
export type ListQuery = { q: string; emailConsent?: string; smsConsent?: string; status?: string; ordered?: string; segment?: string };

/**
 * Styles of the contact pages. Below 40rem a table's rows become cards (each cell labelled by its
 * column), so nothing is wider than a phone. No quotes or angle brackets: the text is escaped as HTML.
 */
export const CONTACT_STYLE = `
.stack td,.stack th{overflow-wrap:anywhere}.timeline,.wrap{overflow-wrap:anywhere}
@media (max-width:40rem){.stack thead{position:absolute;left:-9999px}.stack tr{display:block;border-bottom:1px solid #dfe3ea;padding:.4rem 0}
.stack td{display:grid;grid-template-columns:minmax(6rem,38%) minmax(0,1fr);gap:.5rem;border:0;padding:.15rem 0}.stack td::before{content:attr(data-label);color:#5d667a}}
.filters{display:grid;grid-template-columns:repeat(auto-fit,minmax(12rem,1fr));gap:.2rem 1rem;border:1px solid #dfe3ea;border-radius:6px;padding:.4rem .8rem;margin:.6rem 0}
.filters select,.search input{width:100%}.pager{display:flex;gap:1rem;justify-content:space-between;flex-wrap:wrap;margin-top:.6rem}
.timeline{list-style:none;margin:0;padding:0}.timeline .entry{border-left:3px solid #c6ccd8;padding:.25rem 0 .5rem .8rem;margin:0 0 .3rem}
.entry[data-kind=upcoming]{border-color:#5b8fd6}.entry[data-kind=held]{border-color:#d4a72c}.entry[data-kind=order]{border-color:#3f9a5b}
.timeline p{margin:.1rem 0}.timeline .when{color:#5d667a;font-size:.85rem}.timeline ul{margin:.2rem 0;padding-left:1.2rem}
a.button,button.danger{display:inline-block;padding:.4rem .9rem;border-radius:5px;border:1px solid #1d2330;text-decoration:none;color:#1d2330;background:#fff}
button.danger{background:#a61b1b;border-color:#a61b1b;color:#fff}
`;

export function ContactStyle() {
  return <style>{CONTACT_STYLE}</style>;
}

function Choice(props: { name: keyof ListQuery; label: string; any: string; value: string | undefined; options: SegmentOption[] }) {
  const id = `filter-${props.name}`;
  return (
    <label for={id}>
      {props.label}
      <select id={id} name={props.name}>
        <option value="">{props.any}</option>
        {props.options.map((o) => (
          <option value={o.value} selected={o.value === props.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

function Filters(props: ContactsCommon & { query: ListQuery; segments: SegmentOption[] }) {
  const t = props.t.contacts;
  const { query } = props;
  const consent = Object.entries(t.consent).map(([value, label]) => ({ value, label }));
  return (
    <section>
      <form method="get" action={storePath(props.store.id, '/contacts')}>
        <label for="contact-search" class="search">
          {t.search}
          <input id="contact-search" type="search" name="q" value={query.q} maxlength={200} autocomplete="off" />
        </label>
        <fieldset class="filters">
          <legend>{t.filters}</legend>
          <Choice name="emailConsent" label={t.emailConsent} any={t.any} value={query.emailConsent} options={consent} />
          <Choice name="smsConsent" label={t.smsConsent} any={t.any} value={query.smsConsent} options={consent} />
          <Choice name="status" label={t.status} any={t.any} value={query.status} options={Object.entries(t.statusFilter).map(([value, label]) => ({ value, label }))} />
          <Choice name="ordered" label={t.ordered} any={t.any} value={query.ordered} options={[{ value: 'yes', label: t.yes }, { value: 'no', label: t.no }]} />
          <Choice name="segment" label={t.segment} any={t.any} value={query.segment} options={props.segments} />
        </fieldset>
        <div class="actions">
          <button type="submit">{t.searchButton}</button>
          <a class="button" href={storePath(props.store.id, '/contacts')}>{t.reset}</a>
        </div>
      </form>
    </section>
  );
}

function Row(props: ContactsCommon & { row: ContactListRow }) {
  const { lang, store, row } = props;
  const t = props.t.contacts;
  const name = [row.firstName, row.lastName].filter(Boolean).join(' ');
  return (
    <tr>
      <td data-label={t.name}>
        <a href={storePath(store.id, `/contacts/${encodeURIComponent(row.id)}`)}>{name || row.email || row.phone || row.id}</a>
      </td>
      <td data-label={t.email}>{row.email ?? t.none}</td>
      <td data-label={t.phone}>{row.phone ?? t.none}</td>
      <td data-label={t.status}>
        {t.statuses[row.status]}
        {row.hibernated && <span class="pill">{t.hibernated}</span>}
      </td>
      <td data-label={t.emailColumn}>{t.consent[row.emailConsent]}</td>
      <td data-label={t.smsColumn}>{t.consent[row.smsConsent]}</td>
      <td data-label={t.orders}>{new Intl.NumberFormat(lang).format(row.orders)}</td>
      <td data-label={t.created}>{formatDate(lang, row.createdAt, store.timezone)}</td>
    </tr>
  );
}

function pageLink(storeId: string, query: ListQuery, cursor: { after?: ContactCursor; before?: ContactCursor }): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (typeof value === 'string' && value !== '' && key !== 'notice' && key !== 'email') params.set(key, value);
  if (cursor.after) params.set('after', `${cursor.after.createdAt}~${cursor.after.id}`);
  if (cursor.before) params.set('before', `${cursor.before.createdAt}~${cursor.before.id}`);
  return `${storePath(storeId, '/contacts')}?${params.toString()}`;
}

function Results(props: ContactsCommon & { query: ListQuery; result: ContactResult }) {
  const t = props.t.contacts;
  const { rows, total, hasNext, hasPrev } = props.result;
  const first = rows[0];
  const last = rows[rows.length - 1];
  return (
    <section aria-labelledby="contacts-total">
      <h2 id="contacts-total">{t.total(new Intl.NumberFormat(props.lang).format(total))}</h2>
      {rows.length === 0 ? (
        <p class="muted">{props.query.q ? t.noMatch(props.query.q) : t.empty}</p>
      ) : (
        <table class="stack">
          <thead>
            <tr>
              {[t.name, t.email, t.phone, t.status, t.emailColumn, t.smsColumn, t.orders, t.created].map((h) => (
                <th scope="col">{h}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <Row {...props} row={row} />
            ))}
          </tbody>
        </table>
      )}
      <nav class="pager" aria-label={t.pages}>
        {hasPrev && first ? <a href={pageLink(props.store.id, props.query, { before: first })} rel="prev">{t.prev}</a> : <span />}
        {hasNext && last ? <a href={pageLink(props.store.id, props.query, { after: last })} rel="next">{t.next}</a> : <span />}
      </nav>
    </section>
  );
}

export function ContactsListPage(props: ContactsCommon & { query: ListQuery; result: ContactResult; segments: SegmentOption[]; notice?: PageProps['notice'] }) {
  return (
    <Page {...props} title={props.t.contacts.title} active="contacts">
      <ContactStyle />
      <Filters {...props} />
      <Results {...props} />
    </Page>
  );
}

/** The second step of an erasure: names the person and asks for their address (or a ticked box) before anything goes. */
export function ContactErasePage(props: ContactsCommon & { contact: Contact; who: string; error?: string }) {
  const t = props.t.contacts;
  const { contact, store } = props;
  const back = storePath(store.id, `/contacts/${encodeURIComponent(contact.id)}`);
  const invalid = props.error ? 'true' : undefined;
  return (
    <Page {...props} title={t.eraseTitle} active="contacts" notice={props.error ? { kind: 'error', text: props.error } : undefined}>
      <ContactStyle />
      <section>
        <h2 class="wrap">{props.who}</h2>
        <p>{t.eraseWarning(props.who)}</p>
        <form method="post" action={`${back}/erase`}>
          <CsrfField token={props.csrf} />
          {contact.email ? (
            <div class="field">
              <label for="erase-confirm">{t.eraseTypeEmail(contact.email)}</label>
              <input id="erase-confirm" type="email" name="confirm" required autocomplete="off" aria-invalid={invalid} aria-describedby={props.error ? 'erase-error' : undefined} />
            </div>
          ) : (
            <label for="erase-confirm">
              <input id="erase-confirm" type="checkbox" name="confirm" value="yes" required aria-invalid={invalid} aria-describedby={props.error ? 'erase-error' : undefined} />
              {t.eraseTick}
            </label>
          )}
          {props.error && (
            <p id="erase-error" class="field-error">
              {props.error}
            </p>
          )}
          <div class="actions">
            <button type="submit" class="danger">{t.eraseSubmit}</button>
            <a class="button" href={back}>{t.cancel}</a>
          </div>
        </form>
      </section>
    </Page>
  );
}
