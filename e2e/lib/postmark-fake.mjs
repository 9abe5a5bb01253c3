// A local stand-in for api.postmarkapp.com over real HTTP, for `npm run e2e` and `npm run bench`: the same
// wire format as worker/messaging/test/postmark-fake.ts (which runs inside workerd), reachable from
// `wrangler dev` through `--var POSTMARK_BASE_URL:http://127.0.0.1:<port>`.
import { createServer } from 'node:http';

const json = (res, status, body) => {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
};

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * `GET /messages/outbound` searches what was accepted as Postmark documents it (`count`, `offset`,
 * `messagestream` defaulting to "outbound", `metadata_<key>=<value>`), answering `{ TotalCount, Messages }`.
 * `hangNext(n)`: the next n send requests are accepted, then never answered (the caller times out).
 *
 * `tokens` maps each accepted X-Postmark-Server-Token to a label (the store it belongs to). Every
 * accepted message is kept in `sent` with the token's label; `calls` has one entry per HTTP request
 * that reached the fake: path, label, how many messages it carried and when it arrived.
 */
export function startPostmarkFake({ tokens, streams = ['outbound', 'broadcast'] }) {
  const sent = [];
  const calls = [];
  let counter = 0;
  let hangs = 0;
  const hanging = new Set();

  function accept(message, label) {
    const { From, To, Subject, HtmlBody, TextBody, MessageStream } = message ?? {};
    if (typeof From !== 'string' || typeof To !== 'string' || typeof Subject !== 'string' || (!HtmlBody && !TextBody)) {
      return { ErrorCode: 300, Message: 'Invalid email request' };
    }
    if (typeof MessageStream === 'string' && !streams.includes(MessageStream)) {
      return { ErrorCode: 1235, Message: "The 'MessageStream' provided does not exist on this server." };
    }
    counter += 1;
    const MessageID = `00000000-0000-4000-8000-${counter.toString().padStart(12, '0')}`;
    sent.push({ ...message, MessageID, label, receivedAt: Date.now() });
    return { To, SubmittedAt: new Date().toISOString(), MessageID, ErrorCode: 0, Message: 'OK' };
  }

  function search(url, label, res) {
    const count = Number(url.searchParams.get('count'));
    const offset = Number(url.searchParams.get('offset'));
    calls.push({ path: url.pathname, label, count: 0, at: Date.now(), status: 200 });
    if (!Number.isInteger(count) || count < 1 || count > 500 || !Number.isInteger(offset) || offset < 0) {
      return json(res, 422, { ErrorCode: 600, Message: 'Count and offset are required and count must be between 1 and 500.' });
    }
    const stream = url.searchParams.get('messagestream') ?? 'outbound';
    const wanted = [...url.searchParams].filter(([k]) => k.startsWith('metadata_')).map(([k, v]) => [k.slice(9), v]);
    const matches = sent
      .filter((m) => m.label === label && (m.MessageStream ?? 'outbound') === stream && wanted.every(([k, v]) => m.Metadata?.[k] === v))
      .reverse();
    const Messages = matches.slice(offset, offset + count).map((m) => ({
      Tag: m.Tag ?? '', MessageID: m.MessageID, MessageStream: m.MessageStream ?? 'outbound', To: [{ Email: m.To, Name: null }], Cc: [], Bcc: [],
      Recipients: [m.To], ReceivedAt: new Date(m.receivedAt).toISOString(), From: m.From, Subject: m.Subject, Attachments: [], Status: 'Sent',
      TrackOpens: m.TrackOpens ?? false, TrackLinks: m.TrackLinks ?? 'None', Metadata: m.Metadata ?? {}, Sandboxed: false,
    }));
    return json(res, 200, { TotalCount: matches.length, Messages });
  }

  /** Accepted, then the answer never comes: the socket stays open until the caller gives up. */
  function answer(res, status, body) {
    if (hangs > 0) {
      hangs -= 1;
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      return;
    }
    json(res, status, body);
  }

  async function handle(req, res) {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname;
    const raw = await readBody(req);
    const label = tokens[req.headers['x-postmark-server-token'] ?? ''];
    if (label === undefined) {
      calls.push({ path, label: null, count: 0, at: Date.now(), status: 401 });
      return json(res, 401, { ErrorCode: 10, Message: 'The Server Token you provided in the X-Postmark-Server-Token request header was invalid.' });
    }
    if (req.method === 'GET' && path === '/messages/outbound' && req.headers.accept === 'application/json') return search(url, label, res);
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json') || req.headers.accept !== 'application/json') {
      return json(res, 422, { ErrorCode: 409, Message: 'JSON request required.' });
    }
    let body;
    try {
      body = JSON.parse(raw);
    } catch {
      return json(res, 422, { ErrorCode: 402, Message: 'Received invalid JSON input.' });
    }
    if (req.method === 'POST' && path === '/email/batch' && Array.isArray(body)) {
      calls.push({ path, label, count: body.length, at: Date.now(), status: body.length > 500 ? 422 : 200 });
      if (body.length > 500) return json(res, 422, { ErrorCode: 410, Message: 'Too many batch messages.' });
      const results = body.map((m) => accept(m, label));
      return answer(res, 200, results);
    }
    if (req.method === 'POST' && path === '/email' && body && !Array.isArray(body)) {
      calls.push({ path, label, count: 1, at: Date.now(), status: 200 });
      const result = accept(body, label);
      return answer(res, result.ErrorCode === 0 ? 200 : 422, result);
    }
    return json(res, 404, { ErrorCode: 404, Message: `No such endpoint: ${req.method} ${path}` });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e) => json(res, 500, { ErrorCode: 100, Message: String(e) }));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        url: `http://127.0.0.1:${port}`,
        sent,
        calls,
        hangNext: (n = 1) => void (hangs += n),
        close: () =>
          new Promise((r) => {
            for (const res of hanging) res.destroy();
            server.close(() => r());
          }),
      });
    });
  });
}
