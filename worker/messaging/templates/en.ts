import type { LocaleCatalog } from './types';

const hi = `{{ contact.first_name | default: t.friend }}`;
const shop = `<p style="text-align:center"><a class="btn" href="{{ store.url | safe_url }}">{{ t.shop_now }}</a></p>`;

export const en: LocaleCatalog = {
  strings: {
    friend: 'there',
    view_cart: 'Return to my cart',
    quantity: 'Qty',
    total: 'Total',
    recommended: 'You may also like',
    coupon_intro: 'Your code',
    coupon_expires: 'Valid until',
    unsubscribe: 'Unsubscribe',
    preferences: 'Email preferences',
    footer_reason: 'You receive this email because you signed up for news from {store}.',
    colon: ':',
    shop_now: 'Visit the shop',
  },
  templates: {
    'welcome.1': {
      subject: `Welcome to {{ store.name }}, ${hi}!`,
      preheader: 'Tell us what you like and we will only send you that.',
      html: `<h1>Welcome, ${hi}!</h1><p>Thanks for joining {{ store.name }}. What are you most interested in? One click is enough:</p>{% include 'choices.html' %}{% include 'coupon.html' %}`,
      text: `Welcome, ${hi}!\n\nThanks for joining {{ store.name }}. What are you most interested in? One click is enough:\n{% include 'choices.txt' %}\n{% include 'coupon.txt' %}`,
    },
    'welcome.2': {
      subject: `${hi}, {% if selection %}our pick for you{% else %}our customers' favourites{% endif %}`,
      preheader: `{% if selection %}{{ selection.label }}: a few things we think you will love.{% else %}What our customers love most right now.{% endif %}`,
      html: `<h1>Picked for you</h1><p>{% if selection %}You told us what you like, ${hi}: {{ selection.label }}. Here is our selection.{% else %}You have not told us yet what you like, ${hi}, so here is what our customers love most.{% endif %}</p>{% include 'recommendations.html' %}${shop}`,
      text: `Picked for you\n\n{% if selection %}You told us what you like, ${hi}: {{ selection.label }}. Here is our selection.{% else %}You have not told us yet what you like, ${hi}, so here is what our customers love most.{% endif %}\n\n{% include 'recommendations.txt' %}\n{{ t.shop_now }}: {{ store.url }}`,
    },
    'welcome.3': {
      subject: `Still thinking it over, ${hi}?`,
      preheader: `{% if coupon %}Your welcome gift is waiting.{% else %}Our customers' best-loved products.{% endif %}`,
      html: `<h1>{% if coupon %}Your welcome gift is waiting{% else %}Still looking?{% endif %}</h1><p>Our customers' best-loved products, in case you are still looking.</p>{% include 'coupon.html' %}{% include 'recommendations.html' %}${shop}`,
      text: `{% if coupon %}Your welcome gift is waiting{% else %}Still looking?{% endif %}\n\nOur customers' best-loved products, in case you are still looking.\n{% include 'coupon.txt' %}\n\n{% include 'recommendations.txt' %}\n{{ t.shop_now }}: {{ store.url }}`,
    },
    'cart.reminder.1': {
      subject: `${hi}, you left something in your cart`,
      preheader: 'Your cart is saved: pick up where you left off.',
      html: `<h1>Your cart is waiting</h1><p>We saved it for you, ${hi}. Your items are still available:</p>{% include 'cart.html' %}{% include 'coupon.html' %}{% include 'recommendations.html' %}`,
      text: `Your cart is waiting\n\nWe saved it for you, ${hi}. Your items are still available:\n\n{% include 'cart.txt' %}\n\n{% include 'coupon.txt' %}\n\n{% include 'recommendations.txt' %}`,
    },
    'cart.reminder.2': {
      subject: `Last call for your cart, ${hi}`,
      preheader: 'Your items may not stay in stock for long.',
      html: `<h1>Still interested?</h1><p>Your cart is about to expire, ${hi}. Complete your order while everything is still in stock.</p>{% include 'cart.html' %}{% include 'coupon.html' %}`,
      text: `Still interested?\n\nYour cart is about to expire, ${hi}. Complete your order while everything is still in stock.\n\n{% include 'cart.txt' %}\n\n{% include 'coupon.txt' %}`,
    },
    'winback.1': {
      subject: `We miss you, ${hi}`,
      preheader: `{% if coupon %}A little something to welcome you back.{% else %}What is new since your last visit.{% endif %}`,
      html: `<h1>It has been a while</h1><p>Here is what is new at {{ store.name }} since your last visit.</p>{% include 'coupon.html' %}{% include 'recommendations.html' %}${shop}`,
      text: `It has been a while\n\nHere is what is new at {{ store.name }} since your last visit.\n{% include 'coupon.txt' %}\n\n{% include 'recommendations.txt' %}\n{{ t.shop_now }}: {{ store.url }}`,
    },
    'replenishment.reminder': {
      subject: `Running low on {{ product.name }}?`,
      preheader: 'Re-order in one click before you run out.',
      html: `<h1>Time to stock up?</h1><p>${hi}, your {{ product.name }} should be running low soon.</p>{% if product.image_url %}<p style="text-align:center"><img src="{{ product.image_url | safe_url }}" alt="{{ product.name }}" width="200"></p>{% endif %}<p style="text-align:center"><a class="btn" href="{{ product.reorder_url | safe_url }}">Re-order {{ product.quantity | default: 1 }} × {{ product.name }}</a></p>`,
      text: `Time to stock up?\n\n${hi}, your {{ product.name }} should be running low soon.\nRe-order {{ product.quantity | default: 1 }} × {{ product.name }}: {{ product.reorder_url }}`,
    },
    'post_purchase.next': {
      subject: `{% if product %}Get the most out of your {{ product.name }}{% else %}The perfect next step for your purchase{% endif %}`,
      preheader: 'Picked to go with what you bought.',
      html: `<h1>{% if product %}Enjoying your {{ product.name }}, ${hi}?{% else %}Enjoying your purchase, ${hi}?{% endif %}</h1><p>These go well with it:</p>{% include 'recommendations.html' %}${shop}`,
      text: `{% if product %}Enjoying your {{ product.name }}, ${hi}?{% else %}Enjoying your purchase, ${hi}?{% endif %}\n\nThese go well with it:\n{% include 'recommendations.txt' %}\n{{ t.shop_now }}: {{ store.url }}`,
    },
    'vip.perks': {
      subject: `${hi}, welcome to our VIP circle`,
      preheader: 'Thank you for your loyalty: here are your perks.',
      html: `<h1>You are now a VIP</h1><p>Thank you for being one of our best customers, ${hi}. Your perks:</p><ul>{% for perk in vip.perks %}<li>{{ perk }}</li>{% endfor %}</ul>{% include 'coupon.html' %}`,
      text: `You are now a VIP\n\nThank you for being one of our best customers, ${hi}. Your perks:\n{% for perk in vip.perks %}- {{ perk }}\n{% endfor %}\n{% include 'coupon.txt' %}`,
    },
    'loyalty.milestone': {
      subject: `{{ milestone.orders }} orders: thank you, ${hi}!`,
      preheader: `{% if coupon %}A thank-you gift for a milestone worth celebrating.{% else %}A milestone worth celebrating.{% endif %}`,
      html: `<h1>{{ milestone.orders }} orders together</h1><p>Thank you for your trust, ${hi}.{% if coupon %} Here is a thank-you gift, just for you.{% endif %}</p>{% include 'coupon.html' %}${shop}`,
      text: `{{ milestone.orders }} orders together\n\nThank you for your trust, ${hi}.{% if coupon %} Here is a thank-you gift, just for you.{% endif %}\n{% include 'coupon.txt' %}\n{{ t.shop_now }}: {{ store.url }}`,
    },
    'birthday.gift': {
      subject: `Happy birthday, ${hi}!`,
      preheader: `{% if coupon %}A gift from all of us.{% else %}Best wishes from all of us.{% endif %}`,
      html: `<h1>Happy birthday!</h1><p>The whole {{ store.name }} team wishes you a wonderful day, ${hi}.{% if coupon %} Treat yourself:{% endif %}</p>{% include 'coupon.html' %}${shop}`,
      text: `Happy birthday!\n\nThe whole {{ store.name }} team wishes you a wonderful day, ${hi}.{% if coupon %} Treat yourself:{% endif %}\n{% include 'coupon.txt' %}\n{{ t.shop_now }}: {{ store.url }}`,
    },
    'lead_nurture.choice': {
      subject: `${hi}, where would you like to start?`,
      preheader: 'Choose your path and we will guide you.',
      html: `<h1>Choose your path</h1><p>Tell us what you need, ${hi}, and the next emails will be about just that:</p>{% include 'choices.html' %}`,
      text: `Choose your path\n\nTell us what you need, ${hi}, and the next emails will be about just that:\n{% include 'choices.txt' %}`,
    },
    'lead_nurture.path': {
      subject: `{{ path.title }}: our guide for you`,
      preheader: '{{ path.title }}',
      html: `<h1>{{ path.title }}</h1><p>{{ path.body }}</p>{% include 'recommendations.html' %}${shop}`,
      text: `{{ path.title }}\n\n{{ path.body }}\n\n{% include 'recommendations.txt' %}`,
    },
    'consent.confirm': {
      subject: `Confirm your subscription to {{ store.name }}`,
      preheader: 'One click to get our news.',
      html: `<h1>Confirm your address</h1><p>You asked to hear from {{ store.name }}. Confirm it in one click; without it we will not write to you again.</p>{% for choice in choices limit: 1 %}<p style="text-align:center"><a class="btn" href="{{ choice.url | safe_url }}">{{ choice.label }}</a></p>{% endfor %}<p class="muted">Not you? Simply ignore this email.</p>`,
      text: `Confirm your address\n\nYou asked to hear from {{ store.name }}. Confirm it in one click; without it we will not write to you again.\n{% for choice in choices limit: 1 %}{{ choice.label }}: {{ choice.url }}{% endfor %}\n\nNot you? Simply ignore this email.`,
    },
  },
  sms: {
    'cart.reminder.sms': `{{ store.name }}: {{ contact.first_name | default: "Hi" }}, your cart is saved for you: {{ cart.restore_url }} Reply STOP to opt out.`,
    'replenishment.sms': `{{ store.name }}: running low on {{ product.name }}? Re-order in one click: {{ product.reorder_url }} Reply STOP to opt out.`,
    'birthday.sms': `{{ store.name }}: happy birthday{% if contact.first_name %} {{ contact.first_name }}{% endif %}! Your gift code: {{ coupon.code }} Reply STOP to opt out.`,
  },
};
