/**
 * The shared shell of every marketing email and its reusable blocks, as Liquid sources kept in
 * memory (workerd has no file system). Content is rendered first, then poured into the layout
 * through `content | raw`; everything else is escaped by the engine.
 */
export const HTML_LAYOUT = `<!DOCTYPE html>
<html lang="{{ locale }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="x-apple-disable-message-reformatting">
<title>{{ subject }}</title>
<style>
body{margin:0;padding:0;background:#f4f4f5;font-family:Helvetica,Arial,sans-serif;color:#18181b}
.wrap{width:100%;background:#f4f4f5}
.card{width:600px;max-width:600px;background:#ffffff}
.pad{padding:24px}
h1{font-size:24px;line-height:1.3;margin:0 0 16px}
p{font-size:16px;line-height:1.5;margin:0 0 16px}
a{color:{{ store.accent_color }}}
.btn{display:inline-block;background:{{ store.primary_color }};color:#ffffff !important;text-decoration:none;padding:12px 20px;border-radius:6px;font-weight:bold}
.muted{color:#71717a;font-size:12px;line-height:1.5}
.item img{width:80px;height:auto;border:0}
.code{font-family:Menlo,Consolas,monospace;font-size:20px;letter-spacing:2px;border:2px dashed #18181b;padding:8px 16px;display:inline-block}
@media only screen and (max-width:620px){.card{width:100% !important}.pad{padding:16px !important}.col{display:block !important;width:100% !important}}
</style>
</head>
<body>
<span style="display:none;max-height:0;overflow:hidden;opacity:0">{{ preheader }}</span>
<table role="presentation" class="wrap" width="100%" cellpadding="0" cellspacing="0"><tr><td align="center">
<table role="presentation" class="card" width="600" cellpadding="0" cellspacing="0">
<tr><td class="pad" align="center">{% if store.logo_url %}<a href="{{ store.url | safe_url }}"><img src="{{ store.logo_url | safe_url }}" alt="{{ store.name }}" height="40"></a>{% else %}<a href="{{ store.url | safe_url }}" style="color:{{ store.primary_color }};text-decoration:none;font-weight:bold;font-size:20px">{{ store.name }}</a>{% endif %}</td></tr>
<tr><td class="pad">{{ content | raw }}</td></tr>
<tr><td class="pad muted" align="center">
<p class="muted">{{ t.footer_reason | replace: "{store}", store.name }}</p>
<p class="muted"><a href="{{ links.preferences | safe_url }}">{{ t.preferences }}</a> · <a href="{{ links.unsubscribe | safe_url }}">{{ t.unsubscribe }}</a></p>
<p class="muted">{{ store.name }} · {{ store.address }}</p>
</td></tr>
</table>
</td></tr></table>
</body>
</html>
`;

export const TEXT_LAYOUT = `{{ content }}

--
{{ t.footer_reason | replace: "{store}", store.name }}
{{ t.preferences }}{{ t.colon }} {{ links.preferences }}
{{ t.unsubscribe }}{{ t.colon }} {{ links.unsubscribe }}
{{ store.name }}, {{ store.address }}
`;

const CART_HTML = `{% if cart %}<table role="presentation" width="100%" cellpadding="0" cellspacing="0">
{% for line in cart.lines %}<tr class="item">
<td width="96" style="padding:8px 0">{% if line.image_url %}<img src="{{ line.image_url | safe_url }}" alt="{{ line.name }}" width="80">{% endif %}</td>
<td style="padding:8px"><a href="{{ line.url | default: cart.restore_url | safe_url }}" style="color:#18181b">{{ line.name }}</a><br><span class="muted">{{ t.quantity }}{{ t.colon }} {{ line.quantity }}</span></td>
<td align="right" style="padding:8px 0;white-space:nowrap">{{ line.price | times: line.quantity | money: store.currency, locale }}</td>
</tr>{% endfor %}
<tr><td></td><td style="padding:8px"><strong>{{ t.total }}</strong></td><td align="right"><strong>{{ cart.total | money: store.currency, locale }}</strong></td></tr>
</table>
<p style="text-align:center;margin-top:16px"><a class="btn" href="{{ cart.restore_url | safe_url }}">{{ t.view_cart }}</a></p>{% endif %}`;

const CART_TEXT = `{% if cart %}{% for line in cart.lines %}- {{ line.name }} × {{ line.quantity }}{{ t.colon }} {{ line.price | times: line.quantity | money: store.currency, locale }}
{% endfor %}{{ t.total }}{{ t.colon }} {{ cart.total | money: store.currency, locale }}
{{ t.view_cart }}{{ t.colon }} {{ cart.restore_url }}{% endif %}`;

const RECOMMENDATIONS_HTML = `{% if recommendations.size > 0 %}<h2 style="font-size:18px;margin:24px 0 8px">{{ t.recommended }}</h2>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr>
{% for p in recommendations limit: 3 %}<td class="col" width="33%" valign="top" align="center" style="padding:8px">
{% if p.image_url %}<a href="{{ p.url | safe_url }}"><img src="{{ p.image_url | safe_url }}" alt="{{ p.name }}" width="160" style="width:100%;max-width:160px;height:auto;border:0"></a><br>{% endif %}
<a href="{{ p.url | safe_url }}" style="color:#18181b">{{ p.name }}</a><br>{% if p.price %}<strong>{{ p.price | money: store.currency, locale }}</strong>{% endif %}
</td>{% endfor %}
</tr></table>{% endif %}`;

const RECOMMENDATIONS_TEXT = `{% if recommendations.size > 0 %}{{ t.recommended }}{{ t.colon }}
{% for p in recommendations limit: 3 %}- {{ p.name }}{% if p.price %} ({{ p.price | money: store.currency, locale }}){% endif %}{{ t.colon }} {{ p.url }}
{% endfor %}{% endif %}`;

const COUPON_HTML = `{% if coupon %}<p style="text-align:center">{{ t.coupon_intro }}{% if coupon.amount %} ({{ coupon.amount }}){% endif %}{{ t.colon }}</p>
<p style="text-align:center"><span class="code">{{ coupon.code }}</span></p>{% if coupon.expires %}<p class="muted" style="text-align:center">{{ t.coupon_expires }} {{ coupon.expires }}</p>{% endif %}{% endif %}`;

const COUPON_TEXT = `{% if coupon %}{{ t.coupon_intro }}{% if coupon.amount %} ({{ coupon.amount }}){% endif %}{{ t.colon }} {{ coupon.code }}{% if coupon.expires %} ({{ t.coupon_expires }} {{ coupon.expires }}){% endif %}{% endif %}`;

const CHOICES_HTML = `{% for choice in choices %}<p style="text-align:center"><a class="btn" href="{{ choice.url | safe_url }}">{{ choice.label }}</a></p>
{% endfor %}`;

const CHOICES_TEXT = `{% for choice in choices %}- {{ choice.label }}{{ t.colon }} {{ choice.url }}
{% endfor %}`;

export const PARTIALS: Record<string, string> = {
  'cart.html': CART_HTML,
  'cart.txt': CART_TEXT,
  'recommendations.html': RECOMMENDATIONS_HTML,
  'recommendations.txt': RECOMMENDATIONS_TEXT,
  'coupon.html': COUPON_HTML,
  'coupon.txt': COUPON_TEXT,
  'choices.html': CHOICES_HTML,
  'choices.txt': CHOICES_TEXT,
};
