/** Dashboard copy of the onboarding checklist, the promotional hold banner and refused webhooks, in French and English. */
const fr = {
  title: 'Pour bien démarrer',
  progress: (done: number, total: number) => `${done} sur ${total} fait${done > 1 ? 's' : ''}`,
  done: 'Fait',
  todo: 'À faire',
  connect: {
    label: 'Connecter la boutique',
    done: (when: string) => `Connectée le ${when}.`,
    todo: 'Dans WordPress, ouvrez WooCommerce → Nightshift et collez le code de connexion.',
    action: 'Voir la connexion',
  },
  sender: {
    label: 'Renseigner l’expéditeur et l’adresse postale',
    done: 'Adresse d’expédition et adresse postale renseignées.',
    missing: (fields: string) => `Manque : ${fields}. Sans eux, les e-mails promotionnels restent en attente.`,
    fromEmail: 'adresse d’expédition',
    postalAddress: 'adresse postale',
    action: 'Ouvrir les réglages',
  },
  flows: {
    label: 'Revoir et activer les scénarios',
    count: (enabled: number, total: number) => `${enabled} scénario${enabled > 1 ? 's' : ''} activé${enabled > 1 ? 's' : ''} sur ${total}.`,
    todo: 'Aucun scénario n’est activé : relisez-les et activez ceux que vous voulez.',
    action: 'Voir les scénarios',
  },
  tracker: {
    label: 'Vérifier le traceur du site',
    done: (when: string) => `Dernier événement reçu d’un navigateur le ${when}.`,
    todo: 'Aucun événement de navigateur depuis 7 jours : ouvrez votre boutique dans un navigateur (l’extension ajoute le traceur), puis rechargez cette page.',
    action: 'Voir la connexion',
  },
  held: 'Les e-mails promotionnels sont bloqués : renseignez l’adresse d’expédition et l’adresse postale de la boutique. Les messages en attente partiront dans l’heure qui suit.',
  heldAction: 'Renseigner maintenant',
  rejected: {
    title: 'Webhooks refusés',
    none: 'Aucune livraison WooCommerce refusée ces 7 derniers jours.',
    count: (n: number, when: string) => `${n} livraison${n > 1 ? 's' : ''} WooCommerce refusée${n > 1 ? 's' : ''} ces 7 derniers jours (signature invalide), la dernière le ${when}.`,
    help: 'Si vous n’avez pas changé le secret récemment, reconnectez la boutique depuis WordPress ou changez le secret depuis la page de connexion : les commandes signées avec un mauvais secret ne sont pas enregistrées.',
    action: 'Changer le secret ou reconnecter',
  },
  flowSummary: (enabled: number, total: number) => `${enabled} activé${enabled > 1 ? 's' : ''} sur ${total}`,
};

const en: typeof fr = {
  title: 'Getting started',
  progress: (done: number, total: number) => `${done} of ${total} done`,
  done: 'Done',
  todo: 'To do',
  connect: {
    label: 'Connect the store',
    done: (when: string) => `Connected on ${when}.`,
    todo: 'In WordPress, open WooCommerce → Nightshift and paste the connect code.',
    action: 'See the connection',
  },
  sender: {
    label: 'Set the sender and postal address',
    done: 'Sender address and postal address are set.',
    missing: (fields: string) => `Missing: ${fields}. Until they are set, promotional emails are held.`,
    fromEmail: 'sender address',
    postalAddress: 'postal address',
    action: 'Open the settings',
  },
  flows: {
    label: 'Review and enable flows',
    count: (enabled: number, total: number) => `${enabled} of ${total} flow${total > 1 ? 's' : ''} on.`,
    todo: 'No flow is on: read them through and switch on the ones you want.',
    action: 'See the flows',
  },
  tracker: {
    label: 'Check the storefront tracker',
    done: (when: string) => `Last event from a browser received on ${when}.`,
    todo: 'No browser event in the last 7 days: open your store in a browser (the plugin adds the tracker), then reload this page.',
    action: 'See the connection',
  },
  held: 'Promotional emails are blocked: set the store’s sender address and postal address. Held messages will go out within the hour after.',
  heldAction: 'Set them now',
  rejected: {
    title: 'Refused webhooks',
    none: 'No WooCommerce delivery refused in the last 7 days.',
    count: (n: number, when: string) => `${n} WooCommerce deliver${n > 1 ? 'ies' : 'y'} refused in the last 7 days (invalid signature), the last on ${when}.`,
    help: 'If you did not change the secret recently, reconnect the store from WordPress or rotate the secret from the connection page: orders signed with a wrong secret are not recorded.',
    action: 'Rotate the secret or reconnect',
  },
  flowSummary: (enabled: number, total: number) => `${enabled} of ${total} on`,
};

export const ONBOARDING_COPY = { fr, en };
