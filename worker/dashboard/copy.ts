import type { MessageStatus } from '../db/schema';
import { CONNECT_COPY } from './copy-connect';
import { EDITOR_COPY } from './copy-editor';
import { SETTINGS_COPY } from './copy-settings';
import { WIDGETS_COPY } from './copy-widgets';

export const LANGS = ['fr', 'en'] as const;
export type Lang = (typeof LANGS)[number];

/** Every string the admin dashboard shows, French first. Components never hold UI text of their own. */
const fr = {
  brand: 'Nightshift · administration',
  nav: { stores: 'Boutiques', overview: 'Vue d’ensemble', flows: 'Scénarios', outbox: 'Messages', contacts: 'Contacts', connection: 'Connexion WooCommerce', settings: 'Réglages', logout: 'Se déconnecter' },
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
    internal: 'Erreur interne.',
    back: 'Retour',
  },
  stores: { title: 'Boutiques', empty: 'Aucune boutique.', name: 'Nom', id: 'Identifiant', site: 'Site', connected: 'Connectée le', notConnected: 'Non connectée' },
  overview: {
    sending: 'Envois promotionnels',
    state: { open: 'Actifs', paused: 'Suspendus', slow_start: 'Reprise progressive' },
    reason: 'Motif',
    since: 'Depuis',
    dailyCap: (cap: number, left: number) => `Plafond du jour : ${cap} (reste ${left})`,
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
    sent: 'Envoyés',
    rate: { delivery: 'Délivrés', open: 'Ouverts', click: 'Cliqués', hardBounce: 'Rebonds définitifs', complaint: 'Plaintes', unsubscribe: 'Désinscriptions' },
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
    hibernated: (n: number, of: number) => `${n} sur ${of} contacts vérifiés`,
    lastChecked: 'Dernière vérification',
  },
  flows: {
    title: 'Scénarios',
    enabled: 'Activé',
    disabled: 'Désactivé',
    version: 'Version',
    settings: 'Réglages',
    noSettings: 'Aucun réglage.',
    save: 'Enregistrer',
    saved: (name: string, version: number) => `« ${name} » enregistré (version ${version}).`,
    listHelp: 'Une valeur par ligne',
  },
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
    statuses: { queued: 'En file d’attente', sending: 'En cours', sent: 'Envoyé', outbox: 'Boîte d’envoi', failed: 'Échec', inactive: 'Destinataire inactif', opted_out: 'Désinscrit' } satisfies Record<MessageStatus, string>,
    detail: 'Message',
    text: 'Version texte',
    html: 'Aperçu HTML',
    noHtml: 'Pas de version HTML.',
    error: 'Erreur',
    contact: 'Fiche du contact',
  },
  contact: {
    title: 'Contacts',
    lookup: 'Rechercher par e-mail',
    email: 'E-mail',
    search: 'Rechercher',
    notFound: (email: string) => `Aucun contact avec l’adresse ${email}.`,
    profile: 'Profil',
    name: 'Nom',
    phone: 'Téléphone',
    locale: 'Langue',
    status: 'Statut',
    created: 'Créé le',
    consents: 'Consentements en vigueur',
    channel: 'Canal',
    purpose: 'Finalité',
    granted: 'Accordé',
    refused: 'Refusé',
    source: 'Source',
    noConsents: 'Aucun consentement enregistré.',
    orders: 'Commandes',
    noOrders: 'Aucune commande.',
    number: 'N°',
    total: 'Total',
    enrollments: 'Parcours',
    noEnrollments: 'Aucun parcours.',
    entered: 'Entré le',
    exit: 'Sortie',
  },
  connect: CONNECT_COPY.fr,
  editor: EDITOR_COPY.fr,
  settings: SETTINGS_COPY.fr,
  widgets: WIDGETS_COPY.fr,
  lang: { fr: 'Français', en: 'English' },
};

type Copy = typeof fr;

const en: Copy = {
  brand: 'Nightshift · admin',
  nav: { stores: 'Stores', overview: 'Overview', flows: 'Flows', outbox: 'Messages', contacts: 'Contacts', connection: 'WooCommerce connection', settings: 'Settings', logout: 'Log out' },
  login: { title: 'Sign in', token: 'Admin token (ADMIN_TOKEN)', submit: 'Sign in', invalid: 'Invalid token.', tooMany: 'Too many attempts from this address. Try again in a minute.' },
  errors: {
    forbidden: 'Request refused: the form expired or came from another origin. Reload the page and try again.',
    notFound: 'Not found.',
    conflict: 'Someone changed this meanwhile: reload the page and try again.',
    invalid: 'Values refused:',
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
    sent: 'Sent',
    rate: { delivery: 'Delivered', open: 'Opened', click: 'Clicked', hardBounce: 'Hard bounces', complaint: 'Complaints', unsubscribe: 'Unsubscribes' },
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
  flows: {
    title: 'Flows',
    enabled: 'Enabled',
    disabled: 'Disabled',
    version: 'Version',
    settings: 'Settings',
    noSettings: 'No settings.',
    save: 'Save',
    saved: (name, version) => `“${name}” saved (version ${version}).`,
    listHelp: 'One value per line',
  },
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
    statuses: { queued: 'Queued', sending: 'Sending', sent: 'Sent', outbox: 'Outbox', failed: 'Failed', inactive: 'Inactive recipient', opted_out: 'Opted out' },
    detail: 'Message',
    text: 'Text version',
    html: 'HTML preview',
    noHtml: 'No HTML version.',
    error: 'Error',
    contact: 'Contact profile',
  },
  contact: {
    title: 'Contacts',
    lookup: 'Look up by email',
    email: 'Email',
    search: 'Search',
    notFound: (email) => `No contact with the address ${email}.`,
    profile: 'Profile',
    name: 'Name',
    phone: 'Phone',
    locale: 'Language',
    status: 'Status',
    created: 'Created on',
    consents: 'Consents in force',
    channel: 'Channel',
    purpose: 'Purpose',
    granted: 'Granted',
    refused: 'Refused',
    source: 'Source',
    noConsents: 'No consent recorded.',
    orders: 'Orders',
    noOrders: 'No orders.',
    number: 'No.',
    total: 'Total',
    enrollments: 'Journeys',
    noEnrollments: 'No journeys.',
    entered: 'Entered on',
    exit: 'Exit',
  },
  connect: CONNECT_COPY.en,
  editor: EDITOR_COPY.en,
  settings: SETTINGS_COPY.en,
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

export function formatDate(lang: Lang, ms: number | null | undefined, timeZone: string): string {
  if (ms === null || ms === undefined) return '—';
  try {
    return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(ms);
  } catch {
    return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(ms);
  }
}

export function formatPercent(lang: Lang, value: number | null): string {
  return value === null ? '—' : new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 2 }).format(value);
}
