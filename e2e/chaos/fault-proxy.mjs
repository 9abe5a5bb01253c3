// A fault-injecting proxy in front of the local Postmark fake (e2e/lib/postmark-fake.mjs): per server token it
// answers the next N sends with a fault, then passes through. Faults are those Postmark documents or that
// networks produce: 500, 429 with Retry-After, 422 (ErrorCode 300, invalid request), 406 (inactive
// recipient: per message in a batch answer), and accept-then-hang (the fake accepts and records the message,
// the answer never comes back). Searches (GET /messages/outbound) always pass through.
import { createServer, request } from 'node:http';

const SEND_PATHS = new Set(['/email', '/email/batch']);

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function forward(target, req, body) {
  return new Promise((resolve, reject) => {
    const url = new URL(req.url, target);
    const headers = { ...req.headers, host: url.host, 'content-length': String(body.length) };
    const out = request(url, { method: req.method, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    out.on('error', reject);
    out.end(body);
  });
}

const json = (res, status, body, extra = {}) => {
  res.writeHead(status, { 'Content-Type': 'application/json', ...extra });
  res.end(JSON.stringify(body));
};

/** `faults[token] = { kind, times }`; `hung` keeps the sockets of accept-then-hang answers until close(). */
export async function startFaultProxy({ target }) {
  const faults = {};
  const hung = new Set();
  const injected = [];
  const server = createServer(async (req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    const body = await readBody(req);
    const token = req.headers['x-postmark-server-token'] ?? '';
    const fault = faults[token];
    if (req.method !== 'POST' || !SEND_PATHS.has(path) || !fault || fault.times <= 0) {
      const answer = await forward(target, req, body);
      res.writeHead(answer.status, { 'Content-Type': answer.headers['content-type'] ?? 'application/json' });
      return res.end(answer.body);
    }
    fault.times -= 1;
    injected.push({ token, kind: fault.kind, path, at: Date.now() });
    if (fault.kind === 500) return json(res, 500, { ErrorCode: 500, Message: 'Internal server error' });
    if (fault.kind === 429) return json(res, 429, { ErrorCode: 429, Message: 'Rate limit exceeded' }, { 'Retry-After': '2' });
    if (fault.kind === 422) return json(res, 422, { ErrorCode: 300, Message: 'Invalid email request' });
    if (fault.kind === 406) {
      const messages = JSON.parse(body.toString('utf8'));
      const inactive = (m) => ({ ErrorCode: 406, Message: `You tried to send to recipient(s) that have been marked as inactive. Found inactive addresses: ${m.To}.`, To: m.To });
      if (path === '/email/batch') return json(res, 200, messages.map(inactive));
      return json(res, 422, inactive(messages));
    }
    if (fault.kind === 'hang') {
      await forward(target, req, body); // accepted and recorded by Postmark…
      hung.add(res); // …and the answer is lost.
      return;
    }
    throw new Error(`unknown fault ${fault.kind}`);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    faults,
    injected,
    close: () =>
      new Promise((r) => {
        for (const res of hung) res.destroy();
        server.closeAllConnections?.();
        server.close(() => r());
      }),
  };
}
