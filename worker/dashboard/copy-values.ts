import type { ENROLLMENT_STATUSES, MessageStatus } from '../db/schema';
import type { RateName } from '../deliverability/rates';

/**
 * Stored values an owner reads on the dashboard (statuses, channels, streams, webhook topics),
 * in French and English. Views never print a raw enum value: they look it up here.
 */
const fr = {
  messageStatus: {
    queued: 'En file d’attente',
    sending: 'En cours d’envoi',
    sent: 'Envoyé',
    outbox: 'Boîte d’envoi (non envoyé)',
    failed: 'Échec',
    inactive: 'Destinataire inactif',
    opted_out: 'Désinscrit',
  } satisfies Record<MessageStatus, string>,
  channel: { email: 'E-mail', sms: 'SMS', none: 'Aucun' },
  enrollmentStatus: { active: 'En cours', completed: 'Terminé', exited: 'Sorti' } satisfies Record<(typeof ENROLLMENT_STATUSES)[number], string>,
  contactStatus: { active: 'Actif', unsubscribed: 'Désinscrit', bounced: 'Adresse en échec', complained: 'A signalé un spam' },
  webhookStatus: { queued: 'En attente', processed: 'Traitée', stale: 'Périmée (plus récente déjà reçue)', skipped: 'Ignorée', failed: 'En échec' },
  resource: { order: 'Commande', customer: 'Client', product: 'Produit', coupon: 'Code promo', action: 'Action' },
  event: { created: 'création', updated: 'modification', deleted: 'suppression', restored: 'restauration' },
  ingestKind: { woo: 'Webhook WooCommerce', collect: 'Événement du site', unknown: 'Inconnu' },
  stream: { broadcast: 'Promotionnel (broadcast)', outbound: 'Transactionnel (outbound)' },
  rate: {
    delivery: 'Délivrés',
    open: 'Ouverts',
    click: 'Cliqués',
    hardBounce: 'Rebonds définitifs',
    complaint: 'Plaintes',
    unsubscribe: 'Désinscriptions',
  } satisfies Record<RateName, string>,
  reason: {
    rates_recovered: 'Taux revenus sous les seuils',
    acknowledged: 'Pause acquittée',
    slow_start_complete: 'Reprise progressive terminée',
    breach: (rate: string, value: string, threshold: string, stream: string) => `${rate} : ${value} (seuil ${threshold})${stream ? ` sur ${stream}` : ''}`,
  },
  exitReason: {
    done: 'Parcours terminé',
    goal: 'Objectif atteint',
    ordered: 'A commandé',
    flow_disabled: 'Scénario désactivé',
    flow_changed: 'Scénario modifié',
    flow_reenabled: 'Scénario réactivé',
    restarted: 'Reparti du début',
    missing_node: 'Étape disparue',
    too_many_steps: 'Trop d’étapes d’affilée',
    erased: 'Contact effacé',
    event: (type: string) => `Événement ${type}`,
  },
};

type ValueCopy = typeof fr;

const en: ValueCopy = {
  messageStatus: {
    queued: 'Queued',
    sending: 'Sending',
    sent: 'Sent',
    outbox: 'Outbox (not sent)',
    failed: 'Failed',
    inactive: 'Inactive recipient',
    opted_out: 'Opted out',
  },
  channel: { email: 'Email', sms: 'SMS', none: 'None' },
  enrollmentStatus: { active: 'Active', completed: 'Completed', exited: 'Exited' },
  contactStatus: { active: 'Active', unsubscribed: 'Unsubscribed', bounced: 'Bounced', complained: 'Marked as spam' },
  webhookStatus: { queued: 'Queued', processed: 'Processed', stale: 'Stale (a newer one came first)', skipped: 'Skipped', failed: 'Failed' },
  resource: { order: 'Order', customer: 'Customer', product: 'Product', coupon: 'Coupon', action: 'Action' },
  event: { created: 'created', updated: 'updated', deleted: 'deleted', restored: 'restored' },
  ingestKind: { woo: 'WooCommerce webhook', collect: 'Storefront event', unknown: 'Unknown' },
  stream: { broadcast: 'Promotional (broadcast)', outbound: 'Transactional (outbound)' },
  rate: { delivery: 'Delivered', open: 'Opened', click: 'Clicked', hardBounce: 'Hard bounces', complaint: 'Complaints', unsubscribe: 'Unsubscribes' },
  reason: {
    rates_recovered: 'Rates back under the thresholds',
    acknowledged: 'Pause acknowledged',
    slow_start_complete: 'Gradual resumption complete',
    breach: (rate, value, threshold, stream) => `${rate}: ${value} (threshold ${threshold})${stream ? ` on ${stream}` : ''}`,
  },
  exitReason: {
    done: 'Journey finished',
    goal: 'Goal reached',
    ordered: 'Ordered',
    flow_disabled: 'Flow turned off',
    flow_changed: 'Flow changed',
    flow_reenabled: 'Flow turned back on',
    restarted: 'Started over',
    missing_node: 'Step removed',
    too_many_steps: 'Too many steps in a row',
    erased: 'Contact erased',
    event: (type) => `Event ${type}`,
  },
};

export const VALUE_COPY = { fr, en };
export type ValueLabels = ValueCopy;

/** A key's label, or the raw value when the catalogue does not know it (a new status shows rather than vanishes). */
export function labelOf<T extends Record<string, unknown>>(labels: T, value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  const label = (labels as Record<string, unknown>)[value];
  return typeof label === 'string' ? label : value;
}

/** `order.created` → "Commande · création"; an unknown topic is shown as it is. */
export function topicLabel(v: ValueLabels, topic: string): string {
  const [resource = '', event = ''] = topic.split('.', 2);
  const r = labelOf(v.resource, resource);
  if (r === resource) return topic;
  return event ? `${r} · ${labelOf(v.event, event)}` : r;
}

/**
 * The breaker's reason (`complaint 0.50% >= 0.10% on broadcast (200 sent)`, parts joined by `; `)
 * or a state-change code, worded for the reader; text it does not recognise is shown as it is.
 */
export function reasonLabel(v: ValueLabels, reason: string | null | undefined, percent: (n: number) => string): string {
  if (!reason) return '—';
  if (reason in v.reason && reason !== 'breach') return labelOf(v.reason, reason);
  return reason
    .split('; ')
    .map((part) => {
      const m = /^(\w+) ([\d.]+)% >= ([\d.]+)%(?: on (\S+))?/.exec(part);
      if (!m) return part;
      const [, rate = '', value = '0', threshold = '0', stream = ''] = m;
      return v.reason.breach(labelOf(v.rate, rate), percent(Number(value) / 100), percent(Number(threshold) / 100), stream ? labelOf(v.stream, stream) : '');
    })
    .join(' ; ');
}

/** Why a journey ended, in the admin's language: `event:<type>` names the event that ended it. */
export function exitReasonLabel(labels: ValueLabels['exitReason'], reason: string): string {
  if (reason.startsWith('event:')) return labels.event(reason.slice('event:'.length));
  return labelOf(labels, reason);
}
