import { abandonedCart } from '../journeys/presets/abandoned-cart';
import type { Lang } from './copy';

/** A shipped flow's description and setting labels in the dashboard's language. */
export type FlowText = { name: string; description: string; labels: Record<string, string> };

/** English is the preset's own text, so the two never drift apart. */
function english(flow: typeof abandonedCart): FlowText {
  return {
    name: flow.name,
    description: flow.description ?? '',
    labels: Object.fromEntries(Object.entries(flow.settings).map(([key, s]) => [key, s.label ?? key])),
  };
}

const abandonedCartFr: FlowText = {
  name: 'Relance de panier abandonné',
  description:
    "E-mail, SMS, rappel sur le site et reciblage pour les paniers laissés en plan. La relance ne part que si le client ne donne aucun signe après l'e-mail : ni clic, ni visite du site, ni changement de panier. Toute commande, payée ou en attente de paiement, y met fin.",
  labels: {
    idleDelay: 'Premier rappel quand le panier est inactif depuis',
    firstTemplate: 'E-mail du premier rappel',
    incentiveEnabled: 'Offrir un code promo aux gros paniers',
    incentiveThreshold: 'Montant du panier donnant droit au code',
    incentivePercent: 'Remise du code (%)',
    couponValidity: 'Code valable pendant',
    promptEnabled: 'Rappeler à la prochaine visite (sur le site)',
    promptTemplate: 'Rappel sur le site',
    promptTtl: 'Rappel sur le site affiché pendant',
    openWindow: 'Relancer sans clic, visite ni changement de panier dans un délai de',
    followUpChannel: 'Canal de relance',
    smsTemplate: 'SMS de relance',
    secondTemplate: 'E-mail de relance',
    audienceDelay: "Ajouter à l'audience de reciblage après",
    audienceEnabled: "Utiliser l'audience de reciblage",
    audienceName: 'Audience de reciblage',
  },
};

const TEXTS: Record<string, Record<Lang, FlowText>> = {
  'abandoned-cart': { fr: abandonedCartFr, en: english(abandonedCart) },
};

export function flowText(flowId: string, lang: Lang): FlowText | undefined {
  return TEXTS[flowId]?.[lang];
}
