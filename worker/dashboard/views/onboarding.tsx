import type { SenderReadiness, WebhookRejections } from '../../db/queries/onboarding';
import { formatDate, type DashboardCopy, type Lang } from '../copy';
import { storePath } from '../layout';

export type OnboardingFacts = {
  connectedAt: number | null;
  sender: SenderReadiness;
  flows: { enabled: number; total: number };
  /** The latest storefront event from a browser in the last 7 days. */
  trackerSeenAt: number | null;
  rejected: WebhookRejections;
};

type Props = { t: DashboardCopy; lang: Lang; store: { id: string; timezone: string }; facts: OnboardingFacts };

type Item = { key: string; label: string; done: boolean; detail: string; href: string; action: string };

function items({ t, lang, store, facts }: Props): Item[] {
  const o = t.onboarding;
  const when = (at: number | null) => formatDate(lang, at, store.timezone);
  const missing = [facts.sender.fromEmail ? null : o.sender.fromEmail, facts.sender.postalAddress ? null : o.sender.postalAddress].filter((m) => m !== null);
  const connection = storePath(store.id, '/connection');
  return [
    { key: 'connect', label: o.connect.label, done: facts.connectedAt !== null, detail: facts.connectedAt !== null ? o.connect.done(when(facts.connectedAt)) : o.connect.todo, href: connection, action: o.connect.action },
    { key: 'sender', label: o.sender.label, done: missing.length === 0, detail: missing.length === 0 ? o.sender.done : o.sender.missing(missing.join(', ')), href: storePath(store.id, '/settings'), action: o.sender.action },
    {
      key: 'flows', label: o.flows.label, done: facts.flows.enabled > 0,
      detail: facts.flows.enabled > 0 ? o.flows.count(facts.flows.enabled, facts.flows.total) : `${o.flows.count(0, facts.flows.total)} ${o.flows.todo}`,
      href: storePath(store.id, '/flows'), action: o.flows.action,
    },
    { key: 'tracker', label: o.tracker.label, done: facts.trackerSeenAt !== null, detail: facts.trackerSeenAt !== null ? o.tracker.done(when(facts.trackerSeenAt)) : o.tracker.todo, href: connection, action: o.tracker.action },
  ];
}

/** Promotional email is held until the sender and postal address are set: said first, where the owner lands. */
function HeldBanner(props: Props) {
  const { sender } = props.facts;
  if (sender.fromEmail && sender.postalAddress) return null;
  return (
    <div class="banner critical" role="alert" id="promotional-held">
      {props.t.onboarding.held} <a href={storePath(props.store.id, '/settings')}>{props.t.onboarding.heldAction}</a>
    </div>
  );
}

function Rejected(props: Props) {
  const { t, lang, store, facts } = props;
  const o = t.onboarding.rejected;
  if (facts.rejected.count === 0) return <p class="muted" id="webhook-rejections">{o.none}</p>;
  return (
    <div class="banner warning" role="status" id="webhook-rejections">
      <strong>{o.title}</strong> · {o.count(facts.rejected.count, formatDate(lang, facts.rejected.lastAt, store.timezone))} {o.help}{' '}
      <a href={storePath(store.id, '/connection')}>{o.action}</a>
    </div>
  );
}

/** The overview's checklist: what is left before the store runs on its own, each item with its state and what to do. */
export function Onboarding(props: Props) {
  const o = props.t.onboarding;
  const list = items(props);
  return (
    <>
      <HeldBanner {...props} />
      <section id="onboarding">
        <h2>
          {o.title} <span class="muted">· {o.progress(list.filter((i) => i.done).length, list.length)}</span>
        </h2>
        <ul class="checklist">
          {list.map((item) => (
            <li id={`onboarding-${item.key}`} data-state={item.done ? 'done' : 'todo'}>
              <span class={`pill ${item.done ? 'on' : ''}`}>{item.done ? o.done : o.todo}</span> <strong>{item.label}</strong>
              <br />
              <span class="muted">{item.detail}</span> {!item.done && <a href={item.href}>{item.action}</a>}
            </li>
          ))}
        </ul>
        <Rejected {...props} />
      </section>
    </>
  );
}

/** The flows page's headline: how many flows are on, next to each flow's own badge. */
export function FlowSwitchSummary(props: { t: DashboardCopy; enabled: number; total: number }) {
  return (
    <p id="flows-on">
      <span class={`pill ${props.enabled > 0 ? 'on' : ''}`}>{props.t.onboarding.flowSummary(props.enabled, props.total)}</span>
    </p>
  );
}
