import { Hono } from 'hono';
import type { FetchLike } from '../retry';

/**
 * A local stand-in for Twilio's Messages API: form-encoded `POST
 * /2010-04-01/Accounts/{Sid}/Messages.json` with Basic auth, 201 with a Message resource, and
 * Twilio's JSON error body `{ code, message, more_info, status }` for failures.
 */
export type TwilioFault = 429 | 500 | 503 | 'timeout';

export type TwilioFake = {
  fetch: FetchLike;
  sent: Record<string, string>[];
  requests: number;
  optedOut: Set<string>;
  failNext(...faults: TwilioFault[]): void;
};

function twilioError(code: number, message: string, status: number): Response {
  return Response.json({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }, { status });
}

export function createTwilioFake(accountSid: string, authToken: string): TwilioFake {
  const sent: Record<string, string>[] = [];
  const optedOut = new Set<string>();
  const faults: TwilioFault[] = [];
  const fake: TwilioFake = { fetch: async () => new Response(), sent, requests: 0, optedOut, failNext: (...f) => void faults.push(...f) };

  const app = new Hono();
  app.post('/2010-04-01/Accounts/:sid/Messages.json', async (c) => {
    if (c.req.header('Authorization') !== `Basic ${btoa(`${accountSid}:${authToken}`)}` || c.req.param('sid') !== accountSid) {
      return twilioError(20003, 'Authenticate', 401);
    }
    const form = new URLSearchParams(new TextDecoder().decode(await c.req.arrayBuffer()));
    const to = form.get('To');
    const bodyText = form.get('Body');
    if (!to || !/^\+[1-9]\d{6,14}$/.test(to)) return twilioError(21211, `The 'To' number ${to ?? ''} is not a valid phone number.`, 400);
    if (!form.get('From') && !form.get('MessagingServiceSid')) return twilioError(21603, "A 'From' or 'MessagingServiceSid' parameter is required to send a message.", 400);
    if (!bodyText) return twilioError(21602, 'Message body is required.', 400);
    if (optedOut.has(to)) return twilioError(21610, 'Attempt to send to unsubscribed recipient', 400);
    const sid = `SM${(sent.length + 1).toString(16).padStart(32, '0')}`;
    sent.push({ ...Object.fromEntries(form), sid });
    return c.json({ sid, account_sid: accountSid, to, from: form.get('From'), body: bodyText, status: 'queued', num_segments: '1', error_code: null, error_message: null }, 201);
  });

  fake.fetch = async (input, init) => {
    fake.requests += 1;
    const fault = faults.shift();
    if (fault === 'timeout') throw new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    if (fault === 429) return twilioError(20429, 'Too Many Requests', 429);
    if (fault !== undefined) return twilioError(20500, 'An internal server error has occurred', fault);
    return app.fetch(new Request(input, init));
  };
  return fake;
}
