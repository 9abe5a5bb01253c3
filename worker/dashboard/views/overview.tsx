import type { StoreCounts, WebhookHealth } from '../../db/queries/admin-views';
import type { HibernationStats } from '../../db/queries/hibernation';
import type { Store } from '../../db/queries/stores';
import { RATE_NAMES } from '../../deliverability/rates';
import type { ReputationReport } from '../../deliverability/report';
import { formatDate, formatNumber, formatPercent, type DashboardCopy, type Lang } from '../copy';
import { labelOf, reasonLabel, topicLabel } from '../copy-values';
import { CsrfField, Page, storePath, type PageProps } from '../layout';
import { Onboarding, type OnboardingFacts } from './onboarding';

export type OverviewProps = {
  t: DashboardCopy;
  lang: Lang;
  path: string;
  csrf: string;
  store: Store;
  reputation: ReputationReport;
  webhooks: WebhookHealth;
  counts: StoreCounts;
  hibernation: HibernationStats;
  notice?: PageProps['notice'];
  onboarding?: OnboardingFacts;
};

function Sending(props: OverviewProps) {
  const { t, lang, store } = props;
  const state = props.reputation.state;
  return (
    <section id="reputation">
      <h2>{t.overview.sending}</h2>
      <p>
        <span class={`pill ${state.promotional === 'open' ? 'on' : ''}`}>{t.overview.state[state.promotional]}</span>
      </p>
      {state.promotional === 'paused' && (
        <>
          <dl>
            <dt>{t.overview.since}</dt>
            <dd>{formatDate(lang, state.since, store.timezone)}</dd>
            <dt>{t.overview.reason}</dt>
            <dd>{reasonLabel(t.values, state.reason, (n) => formatPercent(lang, n))}</dd>
          </dl>
          <form method="post" action={storePath(store.id, '/reputation/ack')}>
            <CsrfField token={props.csrf} />
            <p>
              <button type="submit">{t.overview.acknowledge}</button>
            </p>
          </form>
        </>
      )}
      {state.promotional === 'slow_start' && <p>{t.overview.dailyCap(formatNumber(lang, state.dailyCap), formatNumber(lang, state.allowance))}</p>}
    </section>
  );
}

function Rates(props: OverviewProps) {
  const { t, lang } = props;
  const streams = props.reputation.rates['7d'];
  return (
    <section>
      <h2>{t.overview.rates}</h2>
      {streams.length === 0 ? (
        <p class="muted">{t.overview.noSends}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>{t.overview.stream}</th>
              <th>{t.overview.sent}</th>
              {RATE_NAMES.map((r) => (
                <th>{t.overview.rate[r]}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {streams.map((s) => (
              <tr>
                <td data-label={t.overview.stream}>{labelOf(t.values.stream, s.stream)}</td>
                <td data-label={t.overview.sent}>{formatNumber(lang, s.counts.sent)}</td>
                {RATE_NAMES.map((r) => (
                  <td data-label={t.overview.rate[r]}>{formatPercent(lang, s.rates[r])}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Webhooks(props: OverviewProps) {
  const { t, lang, store, webhooks } = props;
  const last = webhooks.lastDelivery;
  return (
    <section>
      <h2>{t.overview.webhooks}</h2>
      <dl>
        <dt>{t.overview.lastDelivery}</dt>
        <dd>
          {last
            ? `${formatDate(lang, last.receivedAt, store.timezone)} · ${topicLabel(t.values, last.topic)} · ${labelOf(t.values.webhookStatus, last.status)}`
            : t.overview.never}
        </dd>
        <dt>{t.overview.byStatus}</dt>
        <dd>
          {Object.entries(webhooks.byStatus)
            .map(([status, n]) => t.overview.statusCount(labelOf(t.values.webhookStatus, status), formatNumber(lang, n)))
            .join(' · ') || '—'}
        </dd>
        <dt>{t.overview.failures}</dt>
        <dd>{formatNumber(lang, webhooks.failures.total)}</dd>
      </dl>
      <ParkedMessages {...props} />
      {webhooks.failedDeliveries.length > 0 && (
        <>
          <h2>{t.overview.failedDeliveries}</h2>
          <table>
            <tbody>
              {webhooks.failedDeliveries.map((f) => (
                <tr>
                  <td data-label={t.outbox.when}>{formatDate(lang, f.receivedAt, store.timezone)}</td>
                  <td data-label={t.overview.topic}>{topicLabel(t.values, f.topic)}</td>
                  <td data-label={t.outbox.error}>{f.error ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

/** Dead letters: what the consumer gave up on, why, and a retry button each (a CSRF-protected form). */
function ParkedMessages(props: OverviewProps) {
  const { t, lang, store, webhooks } = props;
  if (webhooks.failures.recent.length === 0) return null;
  return (
    <div id="failures">
      <h2>{t.overview.parked}</h2>
      <p>{t.overview.parkedHelp}</p>
      <table>
        <tbody>
          {webhooks.failures.recent.map((f) => (
            <tr>
              <td data-label={t.outbox.when}>{formatDate(lang, f.failedAt, store.timezone)}</td>
              <td data-label={t.overview.source}>
                {labelOf(t.values.ingestKind, f.kind)}
                {parkedTopic(t, f.message)}
              </td>
              <td data-label={t.outbox.error}>{f.error ?? '—'}</td>
              <td>
                <form method="post" action={storePath(store.id, `/ingest-failures/${f.id}/retry`)}>
                  <CsrfField token={props.csrf} />
                  <button type="submit">{t.overview.retry}</button>
                </form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function parkedTopic(t: DashboardCopy, message: unknown): string {
  const topic = typeof message === 'object' && message !== null ? (message as { topic?: unknown }).topic : undefined;
  return typeof topic === 'string' ? ` · ${topicLabel(t.values, topic)}` : '';
}

function Counts(props: OverviewProps) {
  const { t, lang, store, counts, hibernation } = props;
  return (
    <section>
      <h2>{t.overview.counts}</h2>
      <dl>
        <dt>{t.overview.contacts}</dt>
        <dd>{formatNumber(lang, counts.contacts)}</dd>
        <dt>{t.overview.orders}</dt>
        <dd>{formatNumber(lang, counts.orders)}</dd>
        <dt>{t.overview.events}</dt>
        <dd>{formatNumber(lang, counts.events)}</dd>
        <dt>{t.overview.hibernation}</dt>
        <dd>{t.overview.hibernated(formatNumber(lang, hibernation.hibernated), formatNumber(lang, hibernation.checked))}</dd>
        <dt>{t.overview.lastChecked}</dt>
        <dd>{formatDate(lang, hibernation.lastCheckedAt, store.timezone)}</dd>
      </dl>
    </section>
  );
}

export function OverviewPage(props: OverviewProps) {
  const banner = props.reputation.banner;
  return (
    <Page {...props} title={props.store.name} active="overview">
      {banner && (
        <div class={`banner ${banner.severity}`} role="alert">
          {banner.message}
        </div>
      )}
      {props.onboarding && <Onboarding t={props.t} lang={props.lang} store={props.store} facts={props.onboarding} />}
      <Sending {...props} />
      <div class="grid">
        <Webhooks {...props} />
        <Counts {...props} />
      </div>
      <Rates {...props} />
    </Page>
  );
}
