import type { LocaleCatalog } from './types';

const hi = `{{ contact.first_name | default: t.friend }}`;
const shop = `<p style="text-align:center"><a class="btn" href="{{ store.url | safe_url }}">{{ t.shop_now }}</a></p>`;

export const fr: LocaleCatalog = {
  strings: {
    friend: 'à vous',
    view_cart: 'Retrouver mon panier',
    quantity: 'Qté',
    total: 'Total',
    recommended: 'Vous aimerez aussi',
    coupon_intro: 'Votre code',
    coupon_expires: "Valable jusqu'au",
    unsubscribe: 'Se désinscrire',
    preferences: 'Préférences e-mail',
    footer_reason: "Vous recevez cet e-mail car vous êtes inscrit·e aux nouvelles de {store}.",
    colon: '\u00a0:',
    shop_now: 'Voir la boutique',
  },
  templates: {
    'welcome.1': {
      subject: `Bienvenue chez {{ store.name }}{% if contact.first_name %}, {{ contact.first_name }}{% endif %} !`,
      preheader: 'Dites-nous ce que vous aimez, nous ne vous enverrons que cela.',
      html: `<h1>Bienvenue{% if contact.first_name %} {{ contact.first_name }}{% endif %} !</h1><p>Merci de rejoindre {{ store.name }}. Qu'est-ce qui vous intéresse le plus ? Un clic suffit :</p>{% include 'choices.html' %}{% include 'coupon.html' %}`,
      text: `Bienvenue{% if contact.first_name %} {{ contact.first_name }}{% endif %} !\n\nMerci de rejoindre {{ store.name }}. Qu'est-ce qui vous intéresse le plus ? Un clic suffit :\n{% include 'choices.txt' %}\n{% include 'coupon.txt' %}`,
    },
    'welcome.2': {
      subject: `{% if selection %}Notre sélection pour vous{% else %}Les coups de cœur de nos clients{% endif %}{% if contact.first_name %}, {{ contact.first_name }}{% endif %}`,
      preheader: `{% if selection %}{{ selection.label }} : quelques produits qui devraient vous plaire.{% else %}Ce que nos clients préfèrent en ce moment.{% endif %}`,
      html: `<h1>Choisis pour vous</h1><p>{% if selection %}Vous nous avez dit ce que vous aimez : {{ selection.label }}. Voici notre sélection.{% else %}Vous ne nous avez pas encore dit ce que vous aimez : voici ce que nos clients préfèrent.{% endif %}</p>{% include 'recommendations.html' %}${shop}`,
      text: `Choisis pour vous\n\n{% if selection %}Vous nous avez dit ce que vous aimez : {{ selection.label }}. Voici notre sélection.{% else %}Vous ne nous avez pas encore dit ce que vous aimez : voici ce que nos clients préfèrent.{% endif %}\n\n{% include 'recommendations.txt' %}\n{{ t.shop_now }} : {{ store.url }}`,
    },
    'welcome.3': {
      subject: `Toujours en réflexion{% if contact.first_name %}, {{ contact.first_name }}{% endif %} ?`,
      preheader: `{% if coupon %}Votre cadeau de bienvenue vous attend.{% else %}Les produits préférés de nos clients.{% endif %}`,
      html: `<h1>{% if coupon %}Votre cadeau de bienvenue vous attend{% else %}Vous cherchez encore ?{% endif %}</h1><p>Les produits préférés de nos clients, si vous cherchez encore.</p>{% include 'coupon.html' %}{% include 'recommendations.html' %}${shop}`,
      text: `{% if coupon %}Votre cadeau de bienvenue vous attend{% else %}Vous cherchez encore ?{% endif %}\n\nLes produits préférés de nos clients, si vous cherchez encore.\n{% include 'coupon.txt' %}\n\n{% include 'recommendations.txt' %}\n{{ t.shop_now }} : {{ store.url }}`,
    },
    'cart.reminder.1': {
      subject: `Vous avez oublié quelque chose{% if contact.first_name %}, {{ contact.first_name }}{% endif %}`,
      preheader: 'Votre panier est sauvegardé : reprenez là où vous en étiez.',
      html: `<h1>Votre panier vous attend</h1><p>Nous l'avons gardé pour vous. Vos articles sont toujours disponibles :</p>{% include 'cart.html' %}{% include 'coupon.html' %}{% include 'recommendations.html' %}`,
      text: `Votre panier vous attend\n\nNous l'avons gardé pour vous. Vos articles sont toujours disponibles :\n\n{% include 'cart.txt' %}\n\n{% include 'coupon.txt' %}\n\n{% include 'recommendations.txt' %}`,
    },
    'cart.reminder.2': {
      subject: `Dernier rappel pour votre panier{% if contact.first_name %}, {{ contact.first_name }}{% endif %}`,
      preheader: 'Vos articles ne resteront peut-être pas longtemps en stock.',
      html: `<h1>Toujours intéressé·e ?</h1><p>Votre panier va bientôt expirer. Finalisez votre commande tant que tout est en stock.</p>{% include 'cart.html' %}{% include 'coupon.html' %}`,
      text: `Toujours intéressé·e ?\n\nVotre panier va bientôt expirer. Finalisez votre commande tant que tout est en stock.\n\n{% include 'cart.txt' %}\n\n{% include 'coupon.txt' %}`,
    },
    'winback.1': {
      subject: `Vous nous manquez{% if contact.first_name %}, {{ contact.first_name }}{% endif %}`,
      preheader: `{% if coupon %}Une petite attention pour votre retour.{% else %}Les nouveautés depuis votre dernière visite.{% endif %}`,
      html: `<h1>Cela fait un moment</h1><p>Voici les nouveautés de {{ store.name }} depuis votre dernière visite.</p>{% include 'coupon.html' %}{% include 'recommendations.html' %}${shop}`,
      text: `Cela fait un moment\n\nVoici les nouveautés de {{ store.name }} depuis votre dernière visite.\n{% include 'coupon.txt' %}\n\n{% include 'recommendations.txt' %}\n{{ t.shop_now }} : {{ store.url }}`,
    },
    'replenishment.reminder': {
      subject: `Bientôt à court de {{ product.name }} ?`,
      preheader: "Recommandez en un clic avant d'en manquer.",
      html: `<h1>Il est temps de refaire le plein ?</h1><p>Bonjour ${hi}, votre {{ product.name }} devrait bientôt être terminé.</p>{% if product.image_url %}<p style="text-align:center"><img src="{{ product.image_url | safe_url }}" alt="{{ product.name }}" width="200"></p>{% endif %}<p style="text-align:center"><a class="btn" href="{{ product.reorder_url | safe_url }}">Recommander {{ product.quantity | default: 1 }} × {{ product.name }}</a></p>`,
      text: `Il est temps de refaire le plein ?\n\nBonjour ${hi}, votre {{ product.name }} devrait bientôt être terminé.\nRecommander {{ product.quantity | default: 1 }} × {{ product.name }} : {{ product.reorder_url }}`,
    },
    'post_purchase.next': {
      subject: `{% if product %}Profitez pleinement de votre {{ product.name }}{% else %}La suite idéale de votre achat{% endif %}`,
      preheader: 'Choisis pour aller avec votre achat.',
      html: `<h1>{% if product %}Votre {{ product.name }} vous plaît ?{% else %}Votre achat vous plaît ?{% endif %}</h1><p>Ces produits l'accompagnent parfaitement :</p>{% include 'recommendations.html' %}${shop}`,
      text: `{% if product %}Votre {{ product.name }} vous plaît ?{% else %}Votre achat vous plaît ?{% endif %}\n\nCes produits l'accompagnent parfaitement :\n{% include 'recommendations.txt' %}\n{{ t.shop_now }} : {{ store.url }}`,
    },
    'vip.perks': {
      subject: `Bienvenue dans le cercle VIP{% if contact.first_name %}, {{ contact.first_name }}{% endif %}`,
      preheader: 'Merci pour votre fidélité : voici vos avantages.',
      html: `<h1>Vous êtes désormais VIP</h1><p>Merci de compter parmi nos meilleurs clients. Vos avantages :</p><ul>{% for perk in vip.perks %}<li>{{ perk }}</li>{% endfor %}</ul>{% include 'coupon.html' %}`,
      text: `Vous êtes désormais VIP\n\nMerci de compter parmi nos meilleurs clients. Vos avantages :\n{% for perk in vip.perks %}- {{ perk }}\n{% endfor %}\n{% include 'coupon.txt' %}`,
    },
    'loyalty.milestone': {
      subject: `{{ milestone.orders }} commandes : merci{% if contact.first_name %}, {{ contact.first_name }}{% endif %} !`,
      preheader: `{% if coupon %}Un cadeau pour fêter cette étape.{% else %}Une étape qui se fête.{% endif %}`,
      html: `<h1>{{ milestone.orders }} commandes ensemble</h1><p>Merci pour votre confiance.{% if coupon %} Voici un petit cadeau, rien que pour vous.{% endif %}</p>{% include 'coupon.html' %}${shop}`,
      text: `{{ milestone.orders }} commandes ensemble\n\nMerci pour votre confiance.{% if coupon %} Voici un petit cadeau, rien que pour vous.{% endif %}\n{% include 'coupon.txt' %}\n{{ t.shop_now }} : {{ store.url }}`,
    },
    'birthday.gift': {
      subject: `Joyeux anniversaire{% if contact.first_name %}, {{ contact.first_name }}{% endif %} !`,
      preheader: `{% if coupon %}Un cadeau de toute notre équipe.{% else %}Les vœux de toute notre équipe.{% endif %}`,
      html: `<h1>Joyeux anniversaire !</h1><p>Toute l'équipe de {{ store.name }} vous souhaite une belle journée.{% if coupon %} Faites-vous plaisir :{% endif %}</p>{% include 'coupon.html' %}${shop}`,
      text: `Joyeux anniversaire !\n\nToute l'équipe de {{ store.name }} vous souhaite une belle journée.{% if coupon %} Faites-vous plaisir :{% endif %}\n{% include 'coupon.txt' %}\n{{ t.shop_now }} : {{ store.url }}`,
    },
    'lead_nurture.choice': {
      subject: `Par où voulez-vous commencer ?`,
      preheader: 'Choisissez votre parcours, nous vous guidons.',
      html: `<h1>Choisissez votre parcours</h1><p>Dites-nous ce dont vous avez besoin : nos prochains e-mails parleront uniquement de cela.</p>{% include 'choices.html' %}`,
      text: `Choisissez votre parcours\n\nDites-nous ce dont vous avez besoin : nos prochains e-mails parleront uniquement de cela.\n{% include 'choices.txt' %}`,
    },
    'lead_nurture.path': {
      subject: `{{ path.title }} : notre guide pour vous`,
      preheader: '{{ path.title }}',
      html: `<h1>{{ path.title }}</h1><p>{{ path.body }}</p>{% include 'recommendations.html' %}${shop}`,
      text: `{{ path.title }}\n\n{{ path.body }}\n\n{% include 'recommendations.txt' %}`,
    },
    'consent.confirm': {
      subject: `Confirmez votre inscription à {{ store.name }}`,
      preheader: 'Un clic pour recevoir nos nouvelles.',
      html: `<h1>Confirmez votre adresse</h1><p>Vous avez demandé à recevoir les nouvelles de {{ store.name }}. Confirmez-le d'un clic ; sans confirmation, nous ne vous écrirons plus.</p>{% for choice in choices limit: 1 %}<p style="text-align:center"><a class="btn" href="{{ choice.url | safe_url }}">{{ choice.label }}</a></p>{% endfor %}<p class="muted">Ce n'était pas vous ? Ignorez simplement cet e-mail.</p>`,
      text: `Confirmez votre adresse\n\nVous avez demandé à recevoir les nouvelles de {{ store.name }}. Confirmez-le d'un clic ; sans confirmation, nous ne vous écrirons plus.\n{% for choice in choices limit: 1 %}{{ choice.label }} : {{ choice.url }}{% endfor %}\n\nCe n'était pas vous ? Ignorez simplement cet e-mail.`,
    },
  },
  sms: {
    'cart.reminder.sms': `{{ store.name }} : {% if contact.first_name %}{{ contact.first_name }}, {% endif %}votre panier vous attend : {{ cart.restore_url }} Répondez STOP pour ne plus recevoir de SMS.`,
    'replenishment.sms': `{{ store.name }} : bientôt à court de {{ product.name }} ? Recommandez en un clic : {{ product.reorder_url }} Répondez STOP pour ne plus recevoir de SMS.`,
    'birthday.sms': `{{ store.name }} : joyeux anniversaire{% if contact.first_name %} {{ contact.first_name }}{% endif %} ! Votre code cadeau : {{ coupon.code }} Répondez STOP pour ne plus recevoir de SMS.`,
  },
};
