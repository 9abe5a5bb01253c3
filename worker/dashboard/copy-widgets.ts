/** Dashboard copy of the on-site widgets page (sign-up pop-ups and inlays, their results), French and English. */
export const WIDGET_FIELDS = [
  'id', 'kind', 'enabled',
  'frTitle', 'frBody', 'frSubmit', 'frThanks', 'frConsentEmail', 'frConsentSms',
  'enTitle', 'enBody', 'enSubmit', 'enThanks', 'enConsentEmail', 'enConsentSms',
  'incentivePercent', 'incentiveDays', 'phone', 'birthday',
  'delaySeconds', 'scrollPercent', 'exitIntent', 'paths', 'minCartValue', 'newVisitorsOnly', 'notSubscribers', 'segmentsIn', 'segmentsOut', 'frequencyDays',
] as const;
export type WidgetField = (typeof WIDGET_FIELDS)[number];

const fr = {
  nav: 'Widgets',
  title: 'Widgets du site',
  results: 'Résultats',
  none: 'Aucun widget pour l’instant.',
  metrics: { view: 'Vues', close: 'Fermetures', submit: 'Inscriptions', confirmed: 'Confirmées', click: 'Clics', order: 'Commandes ensuite', revenue: 'Chiffre d’affaires ensuite' },
  carousel: 'Carrousel',
  edit: 'Modifier',
  newWidget: 'Nouveau widget',
  save: 'Enregistrer le widget',
  saved: 'Widget enregistré.',
  invalid: 'Certaines valeurs sont refusées : corrigez les champs signalés.',
  kinds: { popup: 'Pop-up (bandeau en bas sur mobile)', inlay: 'Encart dans la page' },
  labels: {
    id: 'Identifiant (lettres, chiffres, - et _)', kind: 'Type', enabled: 'Actif',
    frTitle: 'Titre (français)', frBody: 'Texte (français)', frSubmit: 'Bouton (français)', frThanks: 'Remerciement (français)',
    frConsentEmail: 'Consentement e-mail (français)', frConsentSms: 'Consentement SMS (français)',
    enTitle: 'Titre (anglais)', enBody: 'Texte (anglais)', enSubmit: 'Bouton (anglais)', enThanks: 'Remerciement (anglais)',
    enConsentEmail: 'Consentement e-mail (anglais)', enConsentSms: 'Consentement SMS (anglais)',
    incentivePercent: 'Remise de bienvenue en % (vide : aucune)', incentiveDays: 'Validité du code (jours)',
    phone: 'Demander le téléphone', birthday: 'Demander la date d’anniversaire',
    delaySeconds: 'Afficher après (secondes)', scrollPercent: 'Afficher après défilement (%)', exitIntent: 'Afficher à l’intention de sortie (ordinateur)',
    paths: 'Pages (débuts d’adresse, séparés par des virgules ; vide : toutes)', minCartValue: 'Panier minimum (vide : aucun)',
    newVisitorsOnly: 'Nouveaux visiteurs seulement (vus pour la première fois il y a moins d’un jour)', notSubscribers: 'Pas aux abonnés',
    segmentsIn: 'Seulement aux membres de ces segments (identifiants, séparés par des virgules ; vide : tous)',
    segmentsOut: 'Jamais aux membres de ces segments (identifiants, séparés par des virgules)', frequencyDays: 'Au plus une fois tous les N jours',
  } satisfies Record<WidgetField, string>,
  fieldError: 'Valeur refusée.',
};

const en: typeof fr = {
  nav: 'Widgets',
  title: 'Site widgets',
  results: 'Results',
  none: 'No widget yet.',
  metrics: { view: 'Views', close: 'Closes', submit: 'Sign-ups', confirmed: 'Confirmed', click: 'Clicks', order: 'Orders that follow', revenue: 'Revenue that follows' },
  carousel: 'Carousel',
  edit: 'Edit',
  newWidget: 'New widget',
  save: 'Save widget',
  saved: 'Widget saved.',
  invalid: 'Some values were refused: fix the marked fields.',
  kinds: { popup: 'Pop-up (bottom banner on phones)', inlay: 'In-page inlay' },
  labels: {
    id: 'Identifier (letters, digits, - and _)', kind: 'Type', enabled: 'Active',
    frTitle: 'Title (French)', frBody: 'Text (French)', frSubmit: 'Button (French)', frThanks: 'Thank-you (French)',
    frConsentEmail: 'Email consent (French)', frConsentSms: 'SMS consent (French)',
    enTitle: 'Title (English)', enBody: 'Text (English)', enSubmit: 'Button (English)', enThanks: 'Thank-you (English)',
    enConsentEmail: 'Email consent (English)', enConsentSms: 'SMS consent (English)',
    incentivePercent: 'Welcome discount in % (empty: none)', incentiveDays: 'Code valid for (days)',
    phone: 'Ask for a phone number', birthday: 'Ask for a birthday',
    delaySeconds: 'Show after (seconds)', scrollPercent: 'Show after scrolling (%)', exitIntent: 'Show on exit intent (desktop)',
    paths: 'Pages (path prefixes, comma-separated; empty: all)', minCartValue: 'Minimum cart (empty: none)',
    newVisitorsOnly: 'New visitors only (first seen less than a day ago)', notSubscribers: 'Not to subscribers',
    segmentsIn: 'Only to members of these segments (ids, comma-separated; empty: everyone)',
    segmentsOut: 'Never to members of these segments (ids, comma-separated)', frequencyDays: 'At most once every N days',
  },
  fieldError: 'Value refused.',
};

export const WIDGETS_COPY = { fr, en };
