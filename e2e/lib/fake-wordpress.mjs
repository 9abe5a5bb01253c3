// A local WordPress as far as webhook delivery goes: WooCommerce queues each delivery in Action Scheduler,
// which WP-Cron runs only when a visitor loads a page, or (with the Nightshift plugin) when the worker's
// signed `POST /?rest_route=/nightshift/v1/tick` comes. Deliveries go to the worker's webhook route.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';

function signatureOk(secret, header, body, now = Math.floor(Date.now() / 1000)) {
  const m = /^t=(\d{1,12}),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!m || Math.abs(now - Number(m[1])) > 300) return false;
  const expected = createHmac('sha256', secret).update(`${m[1]}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(m[2], 'hex'));
}

export async function startFakeWordPress({ secret, deliverTo }) {
  const pending = [];
  const delivered = [];
  const ticks = [];
  const run = async (by) => {
    let ran = 0;
    while (pending.length > 0) {
      const job = pending.shift();
      const res = await fetch(deliverTo, { method: 'POST', headers: job.headers, body: job.body });
      delivered.push({ id: job.id, queuedAt: job.queuedAt, deliveredAt: Date.now(), status: res.status, by });
      ran++;
    }
    return ran;
  };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', async () => {
      const url = new URL(req.url, 'http://wp.local');
      if (req.method !== 'POST' || url.searchParams.get('rest_route') !== '/nightshift/v1/tick') {
        res.writeHead(404).end('{"code":"rest_no_route"}');
        return;
      }
      if (!signatureOk(secret, req.headers['x-nightshift-signature'], body)) {
        ticks.push({ at: Date.now(), ok: false });
        res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"code":"nightshift_bad_signature"}');
        return;
      }
      ticks.push({ at: Date.now(), ok: true });
      const ran = await run('tick');
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ ran, pending: pending.length }));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    pending,
    delivered,
    ticks,
    /** WooCommerce schedules a delivery (woocommerce_deliver_webhook_async). */
    queue: (id, headers, body) => pending.push({ id, headers, body, queuedAt: Date.now() }),
    /** A shopper loads a page: WP-Cron runs the due actions. */
    visit: () => run('visitor'),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
