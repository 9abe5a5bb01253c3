import { CONNECT_COPY } from './copy-connect';
import { EDITOR_COPY } from './copy-editor';
import { RESULTS_COPY } from './copy-results';
import { SETTINGS_COPY } from './copy-settings';
import { SEGMENTS_COPY } from './copy-segments';
import { FLOWS_COPY } from './copy-flows';
import { VALUE_COPY } from './copy-values';
import { CONTACTS_COPY } from './copy-contacts';
import { ONBOARDING_COPY } from './copy-onboarding';
import { WIDGETS_COPY } from './copy-widgets';

export const LANGS = ['fr', 'en'] as const;
export type Lang = (typeof LANGS)[number];

/** Every string the admin dashboard shows, French first. Components never hold UI text of their own. */
const fr = {
  brand: 'Nightshift · administration',
  nav: { stores: 'Boutiques', overview: 'Vue d’ensemble', flows: 'Scénarios', outbox: 'Messages', contacts: 'Contacts', connection: 'Connexion WooCommerce', settings: 'Réglages', logout: 'Se déconnecter', label: 'Navigation principale' },
  login: {
    title: 'Connexion',
    token: 'Jeton d’administration (ADMIN_TOKEN)',
    submit: 'Se connecter',
    invalid: 'Jeton invalide.',
    tooMany: 'Trop de tentatives depuis cette adresse. Réessayez dans une minute.',
  },
  errors: {
    forbidden: 'Requête refusée : formulaire expiré ou d’une autre origine. Rechargez la page et réessayez.',
    notFound: 'Introuvable.',
    conflict: 'Modifié entre-temps par quelqu’un d’autre : relisez la page et recommencez.',
    invalid: 'Valeurs refusées :',
    badRequest: 'Adresse de page ou valeurs invalides : revenez en arrière et réessayez.',
    internal: 'Erreur interne.',
    back: 'Retour',
  },
  stores: { title: 'Boutiques', empty: 'Aucune boutique.', name: 'Nom', id: 'Identifiant', site: 'Site', connected: 'Connectée le', notConnected: 'Non connectée' },
  overview: {
    sending: 'Envois promotionnels',
    state: { open: 'Actifs', paused: 'Suspendus', slow_start: 'Reprise progressive' },
    reason: 'Motif',
    since: 'Depuis',
    dailyCap: (cap: string, left: string) => `Plafond du jour : ${cap} (reste ${left})`,
    acknowledge: 'J’ai vérifié : reprendre progressivement',
    acknowledged: 'Pause acquittée : les envois reprennent progressivement.',
    nothingToAck: 'Aucune pause à acquitter.',
    parked: 'Messages mis de côté (ingestion)',
    parkedHelp: 'Ces messages ont échoué à chaque tentative. Relancez-les une fois la cause corrigée : ils ne seront appliqués qu’une fois.',
    retry: 'Relancer',
    retried: 'Message renvoyé dans la file : il sera traité dans quelques secondes.',
    retryGone: 'Ce message n’est plus en attente (déjà relancé ?).',
    rates: 'Réputation (7 jours)',
    stream: 'Flux',
    topic: 'Sujet',
    statusCount: (label: string, n: string) => `${label} : ${n}`,
    source: 'Origine',
    sent: 'Envoyés',
    rate: VALUE_COPY.fr.rate,
    noSends: 'Aucun envoi sur la période.',
    webhooks: 'Webhooks WooCommerce',
    lastDelivery: 'Dernière livraison',
    never: 'jamais',
    byStatus: 'Par statut',
    failures: 'Échecs d’ingestion',
    failedDeliveries: 'Livraisons en échec',
    counts: 'Données',
    contacts: 'Contacts',
    orders: 'Commandes',
    events: 'Événements',
    hibernation: 'Contacts en hibernation',
    hibernated: (n: string, of: string) => `${n} sur ${of} contacts vérifiés`,
    lastChecked: 'Dernière vérification',
  },
  flows: FLOWS_COPY.fr,
  outbox: {
    title: 'Messages récents',
    empty: 'Aucun message.',
    when: 'Date',
    flow: 'Scénario',
    step: 'Étape',
    channel: 'Canal',
    status: 'Statut',
    subject: 'Objet',
    to: 'Destinataire',
    open: 'Voir',
    statuses: VALUE_COPY.fr.messageStatus,
    detail: 'Message',
    text: 'Version texte',
    html: 'Aperçu HTML',
    noHtml: 'Pas de version HTML.',
    error: 'Erreur',
    contact: 'Fiche du contact',
  },
  connect: CONNECT_COPY.fr,
  editor: EDITOR_COPY.fr,
  results: RESULTS_COPY.fr,
  settings: SETTINGS_COPY.fr,
  values: VALUE_COPY.fr,
  contacts: CONTACTS_COPY.fr,
  onboarding: ONBOARDING_COPY.fr,
  segments: SEGMENTS_COPY.fr,
  widgets: WIDGETS_COPY.fr,
  lang: { fr: 'Français', en: 'English' },
};

type Copy = typeof fr;

const en: Copy = {
  brand: 'Nightshift · admin',
  nav: { stores: 'Stores', overview: 'Overview', flows: 'Flows', outbox: 'Messages', contacts: 'Contacts', connection: 'WooCommerce connection', settings: 'Settings', logout: 'Log out', label: 'Main navigation' },
  login: { title: 'Sign in', token: 'Admin token (ADMIN_TOKEN)', submit: 'Sign in', invalid: 'Invalid token.', tooMany: 'Too many attempts from this address. Try again in a minute.' },
  errors: {
    forbidden: 'Request refused: the form expired or came from another origin. Reload the page and try again.',
    notFound: 'Not found.',
    conflict: 'Someone changed this meanwhile: reload the page and try again.',
    invalid: 'Values refused:',
    badRequest: 'Invalid page address or values: go back and try again.',
    internal: 'Internal error.',
    back: 'Back',
  },
  stores: { title: 'Stores', empty: 'No stores.', name: 'Name', id: 'Id', site: 'Site', connected: 'Connected on', notConnected: 'Not connected' },
  overview: {
    sending: 'Promotional sending',
    state: { open: 'Open', paused: 'Paused', slow_start: 'Resuming gradually' },
    reason: 'Reason',
    since: 'Since',
    dailyCap: (cap, left) => `Today's cap: ${cap} (${left} left)`,
    acknowledge: 'I have checked: resume gradually',
    acknowledged: 'Pause acknowledged: sending resumes gradually.',
    nothingToAck: 'No pause to acknowledge.',
    parked: 'Parked messages (ingestion)',
    parkedHelp: 'These messages failed every attempt. Retry them once the cause is fixed: they are applied only once.',
    retry: 'Retry',
    retried: 'Message sent back to the queue: it will be processed within seconds.',
    retryGone: 'This message is no longer parked (already retried?).',
    rates: 'Reputation (7 days)',
    stream: 'Stream',
    topic: 'Topic',
    statusCount: (label, n) => `${label}: ${n}`,
    source: 'Source',
    sent: 'Sent',
    rate: VALUE_COPY.en.rate,
    noSends: 'No sends in this period.',
    webhooks: 'WooCommerce webhooks',
    lastDelivery: 'Last delivery',
    never: 'never',
    byStatus: 'By status',
    failures: 'Ingestion failures',
    failedDeliveries: 'Failed deliveries',
    counts: 'Data',
    contacts: 'Contacts',
    orders: 'Orders',
    events: 'Events',
    hibernation: 'Hibernated contacts',
    hibernated: (n, of) => `${n} of ${of} checked contacts`,
    lastChecked: 'Last checked',
  },
  flows: FLOWS_COPY.en,
  outbox: {
    title: 'Latest messages',
    empty: 'No messages.',
    when: 'Date',
    flow: 'Flow',
    step: 'Step',
    channel: 'Channel',
    status: 'Status',
    subject: 'Subject',
    to: 'To',
    open: 'View',
    statuses: VALUE_COPY.en.messageStatus,
    detail: 'Message',
    text: 'Text version',
    html: 'HTML preview',
    noHtml: 'No HTML version.',
    error: 'Error',
    contact: 'Contact profile',
  },
  connect: CONNECT_COPY.en,
  editor: EDITOR_COPY.en,
  results: RESULTS_COPY.en,
  settings: SETTINGS_COPY.en,
  values: VALUE_COPY.en,
  contacts: CONTACTS_COPY.en,
  onboarding: ONBOARDING_COPY.en,
  segments: SEGMENTS_COPY.en,
  widgets: WIDGETS_COPY.en,
  lang: { fr: 'Français', en: 'English' },
};

export type DashboardCopy = Copy;
export const COPY: Record<Lang, Copy> = { fr, en };

export function isLang(value: string | undefined | null): value is Lang {
  return value === 'fr' || value === 'en';
}

/** Accept-Language, highest q first; the first French or English tag wins, French otherwise. */
export function langFromAcceptLanguage(header: string | undefined): Lang {
  const tags = (header ?? '')
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = Number(params.find((p) => p.trim().startsWith('q='))?.trim().slice(2) ?? '1');
      return { lang: tag.toLowerCase().split('-')[0], q: Number.isFinite(q) ? q : 0, i };
    })
    .filter((t) => t.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  return tags.find((t) => isLang(t.lang))?.lang === 'en' ? 'en' : 'fr';
}

export { formatDate, formatMoney, formatNumber, formatPercent } from './i18n/format';
