import type { TimelineEntry } from '../../contacts/timeline';
import { formatDate, type DashboardCopy, type Lang } from '../copy';
import { exitReasonLabel } from '../copy-values';
import { flowText } from '../flow-copy';
import type { ContactsCommon } from './contacts';

type Entry<K extends TimelineEntry['kind']> = Extract<TimelineEntry, { kind: K }>;
type Props<K extends TimelineEntry['kind']> = ContactsCommon & { entry: Entry<K> };

/** A store's own currency code may be anything WooCommerce accepted; Intl throws on a code it does not know. */
export function formatMoney(lang: Lang, amount: number, currency: string | null): string {
  try {
    return new Intl.NumberFormat(lang, { style: 'currency', currency: currency ?? 'EUR' }).format(amount);
  } catch {
    return `${new Intl.NumberFormat(lang, { minimumFractionDigits: 2 }).format(amount)} ${currency ?? ''}`.trim();
  }
}

/** A shipped flow's name in the admin's language; an owner's own flow keeps the name it was given. */
export function flowLabel(lang: Lang, flowId: string, name: string): string {
  return flowText(flowId, lang)?.name ?? name;
}

const label = (map: Record<string, string>, key: string) => map[key] ?? key;

function Upcoming({ t, lang, entry }: Props<'upcoming'>) {
  const step = entry.step.nodeType ? label(t.contacts.nodes, entry.step.nodeType) : entry.step.nodeId;
  return <p>{t.contacts.upcoming(flowLabel(lang, entry.flowId, entry.flowName), `${step} (${entry.step.nodeId})`)}</p>;
}

function EventLine({ t, entry }: Props<'event'>) {
  return (
    <p>
      {label(t.contacts.events, entry.type)}
      {entry.detail && <span class="muted"> · {entry.detail}</span>}
    </p>
  );
}

function MessageLine({ t, lang, store, entry }: Props<'message'>) {
  const { message } = entry;
  const c = t.contacts;
  const when = (at: number) => formatDate(lang, at, store.timezone);
  return (
    <>
      <p>
        <strong>{c.channels[message.channel]}</strong> · {message.subject ?? (message.channel === 'email' ? c.noSubject : '')} · {t.outbox.statuses[message.status]}
      </p>
      <p class="muted">
        {c.to} {message.to}
        {message.flowId && ` · ${flowLabel(lang, message.flowId, message.flowId)} / ${message.stepId ?? ''}`}
        {message.error && ` · ${message.error}`}
      </p>
      {(entry.outcomes.length > 0 || entry.clicks.length > 0) && (
        <ul>
          {entry.outcomes.map((o) => (
            <li>
              {c.outcomes[o.kind]} · {when(o.occurredAt)}
            </li>
          ))}
          {entry.clicks.map((k) => (
            <li>
              {c.clicked} · {k.url} · {when(k.clickedAt)}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function OrderLine({ t, lang, entry }: Props<'order'>) {
  const { order } = entry;
  return (
    <>
      <p>
        <strong>{t.contacts.order(order.number ?? String(order.id))}</strong> · {label(t.contacts.orderStatuses, order.status)} · {formatMoney(lang, order.total, order.currency)}
        {order.deletedAt !== null && ` · ${t.contacts.orderDeleted}`}
      </p>
      {order.items.length > 0 && (
        <ul>
          {order.items.map((i) => (
            <li>
              {i.quantity} × {i.name} · {formatMoney(lang, i.total, order.currency)}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

export function CartLines(props: { t: DashboardCopy; lang: Lang; cart: Entry<'cart'>['cart'] }) {
  const { cart, lang } = props;
  const c = props.t.contacts;
  return (
    <>
      <p>
        <strong>{formatMoney(lang, cart.value, cart.currency)}</strong> · {c.cartStatus[cart.status]}
      </p>
      {cart.items.length > 0 && (
        <ul>
          {cart.items.map((i) => (
            <li>
              {i.quantity} × {i.name ?? `#${i.productId}`} · {formatMoney(lang, i.price, cart.currency)}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function JourneyLine({ t, lang, entry }: Props<'journey'>) {
  const { enrollment } = entry;
  const c = t.contacts;
  return (
    <p>
      {c.enteredFlow(flowLabel(lang, enrollment.flowId, entry.flowName))} · {label(c.enrollment, enrollment.status)}
      {enrollment.exitReason && ` (${c.exitReason(exitReasonLabel(t.values.exitReason, enrollment.exitReason))})`}
    </p>
  );
}

function HeldLine({ t, lang, store, entry }: Props<'held'>) {
  const { held } = entry;
  const c = t.contacts;
  return (
    <p>
      <strong>{c.held[held.decision === 'skip' ? 'skip' : 'defer']}</strong> · {c.channels[held.channel]}
      {held.flowId && ` · ${flowLabel(lang, held.flowId, entry.flowName ?? held.flowId)}`}
      {held.reason && ` · ${label(c.reasons, held.reason)}`}
      {held.until && ` · ${c.until(formatDate(lang, held.until, store.timezone))}`}
    </p>
  );
}

function Body(props: ContactsCommon & { entry: TimelineEntry }) {
  const { entry } = props;
  switch (entry.kind) {
    case 'upcoming':
      return <Upcoming {...props} entry={entry} />;
    case 'event':
      return <EventLine {...props} entry={entry} />;
    case 'message':
      return <MessageLine {...props} entry={entry} />;
    case 'order':
      return <OrderLine {...props} entry={entry} />;
    case 'cart':
      return <CartLines t={props.t} lang={props.lang} cart={entry.cart} />;
    case 'journey':
      return <JourneyLine {...props} entry={entry} />;
    case 'held':
      return <HeldLine {...props} entry={entry} />;
  }
}

export function Timeline(props: ContactsCommon & { entries: TimelineEntry[]; more: boolean; moreHref: string }) {
  const c = props.t.contacts;
  return (
    <section id="timeline" aria-labelledby="timeline-title">
      <h2 id="timeline-title">{c.timeline}</h2>
      <p class="muted">{c.timelineHelp}</p>
      {props.entries.length === 0 ? (
        <p class="muted">{c.noTimeline}</p>
      ) : (
        <ol class="timeline">
          {props.entries.map((entry) => (
            <li class="entry" data-kind={entry.kind}>
              <p class="when">
                {c.kinds[entry.kind]} · <time datetime={new Date(entry.at).toISOString()}>{formatDate(props.lang, entry.at, props.store.timezone)}</time>
              </p>
              <Body {...props} entry={entry} />
            </li>
          ))}
        </ol>
      )}
      {props.more && (
        <p>
          <a href={props.moreHref}>{c.showMore}</a>
        </p>
      )}
    </section>
  );
}
