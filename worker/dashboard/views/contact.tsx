import type { ContactStory } from '../../contacts/timeline';
import type { ConsentRow } from '../../db/queries/admin-views';
import { formatDate } from '../copy';
import { exitReasonLabel } from '../copy-values';
import type { ContactScorePanel } from '../../db/queries/segment-dashboard';
import { ContactScores } from './contact-scores';
import { Page, storePath } from '../layout';
import { CartLines, flowLabel, Timeline } from './contact-timeline';
import { ContactStyle, type ContactsCommon } from './contacts';

type StoryProps = ContactsCommon & { story: ContactStory };

function Profile(props: StoryProps) {
  const { lang, store } = props;
  const t = props.t.contacts;
  const c = props.story.contact;
  const name = [c.firstName, c.lastName].filter(Boolean).join(' ');
  const href = storePath(store.id, `/contacts/${encodeURIComponent(c.id)}`);
  return (
    <section aria-labelledby="profile-title">
      <h2 id="profile-title">{t.profile}</h2>
      <dl class="wrap">
        <dt>{t.name}</dt>
        <dd>{name || t.none}</dd>
        <dt>{t.email}</dt>
        <dd>{c.email ?? t.none}</dd>
        <dt>{t.phone}</dt>
        <dd>{c.phone ?? t.none}</dd>
        <dt>{t.locale}</dt>
        <dd>{c.locale ?? t.none}</dd>
        <dt>{t.status}</dt>
        <dd>{t.statuses[c.status]}</dd>
        <dt>{t.created}</dt>
        <dd>{formatDate(lang, c.createdAt, store.timezone)}</dd>
        <dt>{t.tags}</dt>
        <dd>{props.story.tags.length ? props.story.tags.join(', ') : t.none}</dd>
      </dl>
      <div class="actions">
        <a class="button" href={`${href}/export`} download={`contact-${c.id}.json`}>
          {t.export}
        </a>
        <a class="button" href={`${href}/erase`}>
          {t.erase}
        </a>
      </div>
    </section>
  );
}

function ConsentTable(props: StoryProps & { rows: ConsentRow[] }) {
  const { lang, store } = props;
  const t = props.t.contacts;
  return (
    <table class="stack">
      <thead>
        <tr>
          {[t.channel, t.purpose, t.state, t.source, t.date].map((h) => (
            <th scope="col">{h}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((r) => (
          <tr>
            <td data-label={t.channel}>{t.channels[r.channel]}</td>
            <td data-label={t.purpose}>{t.purposes[r.purpose]}</td>
            <td data-label={t.state}>{r.granted ? t.granted : t.withdrawn}</td>
            <td data-label={t.source}>{t.sources[r.source] ?? r.source}</td>
            <td data-label={t.date}>{formatDate(lang, r.occurredAt, store.timezone)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Consents(props: StoryProps) {
  const t = props.t.contacts;
  const { inForce, ledger } = props.story.consents;
  return (
    <section aria-labelledby="consents-title">
      <h2 id="consents-title">{t.consentsInForce}</h2>
      {inForce.length === 0 ? (
        <p class="muted">{t.noConsents}</p>
      ) : (
        <>
          <ConsentTable {...props} rows={inForce} />
          <details>
            <summary>{t.ledger}</summary>
            <ConsentTable {...props} rows={ledger} />
          </details>
        </>
      )}
    </section>
  );
}

function Journeys(props: StoryProps) {
  const { lang, store } = props;
  const t = props.t.contacts;
  const lines = props.story.journeys;
  return (
    <section aria-labelledby="journeys-title">
      <h2 id="journeys-title">{t.journeys}</h2>
      {lines.length === 0 ? (
        <p class="muted">{t.noJourneys}</p>
      ) : (
        <table class="stack">
          <thead>
            <tr>
              {[t.flow, t.state, t.entered, t.nextStep, t.due].map((h) => (
                <th scope="col">{h}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {lines.map(({ enrollment: e, flowName, next }) => (
              <tr>
                <td data-label={t.flow}>{flowLabel(lang, e.flowId, flowName)} (v{e.flowVersion})</td>
                <td data-label={t.state}>
                  {t.enrollment[e.status] ?? e.status}
                  {e.exitReason && ` (${t.exitReason(exitReasonLabel(props.t.values.exitReason, e.exitReason))})`}
                </td>
                <td data-label={t.entered}>{formatDate(lang, e.enteredAt, store.timezone)}</td>
                <td data-label={t.nextStep}>{next ? `${next.nodeType ? (t.nodes[next.nodeType] ?? next.nodeType) : next.nodeId} (${next.nodeId})` : t.none}</td>
                <td data-label={t.due}>{next ? formatDate(lang, next.dueAt, store.timezone) : t.none}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Cart(props: StoryProps) {
  const t = props.t.contacts;
  const { cart } = props.story;
  return (
    <section aria-labelledby="cart-title">
      <h2 id="cart-title">{t.cart}</h2>
      {cart ? <CartLines t={props.t} lang={props.lang} cart={cart} /> : <p class="muted">{t.noCart}</p>}
    </section>
  );
}

export function ContactPage(props: StoryProps & { scores: ContactScorePanel; limit: number; step: number }) {
  const c = props.story.contact;
  const title = [c.firstName, c.lastName].filter(Boolean).join(' ') || c.email || c.phone || props.t.contacts.title;
  const moreHref = `${storePath(props.store.id, `/contacts/${encodeURIComponent(c.id)}`)}?limit=${props.limit + props.step}#timeline`;
  return (
    <Page {...props} title={title} active="contacts">
      <ContactStyle />
      <div class="grid">
        <Profile {...props} />
        <Cart {...props} />
      </div>
      <Consents {...props} />
      <ContactScores t={props.t} lang={props.lang} storeId={props.store.id} timeZone={props.store.timezone} scores={props.scores} />
      <Journeys {...props} />
      <Timeline {...props} entries={props.story.timeline} more={props.story.more} moreHref={moreHref} />
    </Page>
  );
}
