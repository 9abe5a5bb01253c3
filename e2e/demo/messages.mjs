// Rows for the demo's enrollments and messages, with what happened to each email afterwards: Postmark's
// delivery, open and click webhooks (provider_events), our own click redirect (message_clicks) and the
// domain events both record (`open:<send id>`, `click:<send id>:<link>`), keyed as the product keys them.
import { createHash } from 'node:crypto';
import { STORE } from './commerce.mjs';
import { rng } from './history.mjs';
import { loadRenderer } from './render.mjs';

const MIN = 60_000;
const STREAM = 'broadcast';
const uuidOf = (text) => {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

function enrollmentRows(enrollments) {
  return enrollments.map((e) => {
    if (e.endedAt === null) throw new Error(`demo seed: enrollment ${e.id} never ended`);
    return {
      store_id: STORE, id: e.id, contact_id: e.contact.id, flow_id: e.flowId, flow_version: 1, status: e.status, exit_reason: e.exitReason,
      converted: e.converted ? 1 : 0, entered_at: e.enteredAt, ended_at: e.endedAt, updated_at: e.endedAt,
    };
  });
}

async function render(renderer, send, base) {
  const c = send.enrollment.contact;
  const data = { ...base, contact: { first_name: c.person.first }, ...send.data };
  if (send.sms) {
    const { links: _links, ...smsData } = data;
    return { subject: null, html: null, text: await renderer.renderSms({ templateId: send.sms, locale: c.person.locale, data: smsData }) };
  }
  const out = await renderer.renderEmail({ templateId: send.template, locale: c.person.locale, data });
  return { subject: out.subject, html: out.html, text: out.text };
}

function engagementOf(send, message, url) {
  const r = rng(parseInt(send.id.slice(4, 12), 16));
  const c = send.enrollment.contact;
  const flowRef = { enrollmentId: send.enrollment.id, nodeId: send.nodeId };
  const provider = (kind, recordType, at) => ({
    store_id: STORE, dedupe_key: `demo:${kind}:${send.id}`, provider: 'postmark', stream: STREAM, record_type: recordType, kind,
    message_id: send.id, provider_message_id: message.provider_message_id, contact_id: c.id, recipient: message.to, occurred_at: at, received_at: at + 1500, details: '{}',
  });
  const out = { providerEvents: [provider('delivery', 'Delivery', send.at + 4000)], events: [], clicks: [] };
  if (r() >= 0.48) return out;
  const openedAt = send.at + Math.floor((5 + r() * 600) * MIN);
  out.providerEvents.push(provider('open', 'Open', openedAt));
  out.events.push({ store_id: STORE, event_key: `open:${send.id}`, type: 'message.opened', visitor_id: null, contact_id: c.id, properties: JSON.stringify({ messageId: send.id, message: flowRef }), source: 'server', occurred_at: openedAt, received_at: openedAt + 300 });
  if (r() >= 0.35) return out;
  const clickedAt = openedAt + Math.floor((1 + r() * 8) * MIN);
  out.providerEvents.push(provider('click', 'Click', clickedAt));
  out.clicks.push({ store_id: STORE, message_id: send.id, contact_id: c.id, link_index: 0, url, clicked_at: clickedAt });
  out.events.push({ store_id: STORE, event_key: `click:${send.id}:0`, type: 'message.clicked', visitor_id: null, contact_id: c.id, properties: JSON.stringify({ messageId: send.id, url, linkKey: null, message: { ...flowRef, url } }), source: 'server', occurred_at: clickedAt, received_at: clickedAt + 300 });
  return out;
}

export async function messageRows({ enrollments, sends }, { shop, workerUrl, address }) {
  const renderer = await loadRenderer();
  const base = {
    store: { name: 'Demo store', address, url: shop, currency: 'EUR' },
    links: { unsubscribe: `${workerUrl}/u/demo-history`, preferences: `${workerUrl}/p/demo-history` },
  };
  const out = { enrollments: enrollmentRows(enrollments), messages: [], providerEvents: [], events: [], clicks: [], audience: [] };
  for (const send of sends) {
    const c = send.enrollment.contact;
    const sms = Boolean(send.sms);
    const message = {
      id: send.id, store_id: STORE, contact_id: c.id, flow_id: send.enrollment.flowId, step_id: send.nodeId, enrollment_id: send.enrollment.id,
      idempotency_key: send.key, channel: sms ? 'sms' : 'email', status: 'sent', ...(await render(renderer, send, base)),
      to: sms ? c.person.phone : c.person.email, provider_message_id: sms ? `SM${send.id.slice(4)}` : uuidOf(send.id), error: null, retryable: 0,
      created_at: send.at, sent_at: send.at + 1500, message_stream: sms ? null : STREAM,
    };
    out.messages.push(message);
    if (sms) continue;
    const url = send.data.cart?.restore_url ?? send.data.recommendations?.[0]?.url ?? shop;
    const e = engagementOf(send, message, url);
    out.providerEvents.push(...e.providerEvents);
    out.events.push(...e.events);
    out.clicks.push(...e.clicks);
  }
  for (const e of enrollments) {
    if (e.flowId === 'abandoned-cart' && e.status === 'completed') {
      out.audience.push({ store_id: STORE, audience: 'abandoned-cart', contact_id: e.contact.id, idempotency_key: `${e.id}:audience`, added_at: e.endedAt });
    }
  }
  return out;
}
