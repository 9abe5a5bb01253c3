import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors';
import { readInboundSms } from './sms-inbound';
import { twilioSignature } from './sms-signature';

const URL_ = 'https://ns.example.com/webhooks/sms/st_1';
const TOKEN = 'twilio-auth-token-test';

async function signed(fields: Record<string, string>) {
  const body = new URLSearchParams(fields).toString();
  return { body, signature: await twilioSignature(TOKEN, URL_, new URLSearchParams(body).entries()) };
}

describe('inbound SMS webhook', () => {
  it('accepts a signed STOP in French and reports the keyword', async () => {
    const { body, signature } = await signed({ MessageSid: 'SM1', AccountSid: 'AC1', From: '+33612345678', To: '+33700000000', Body: 'Arrêt' });
    expect(await readInboundSms(TOKEN, URL_, body, signature)).toEqual({
      ok: true,
      keyword: 'stop',
      message: { MessageSid: 'SM1', AccountSid: 'AC1', From: '+33612345678', To: '+33700000000', Body: 'Arrêt' },
    });
  });

  it('reads an ordinary reply as no keyword', async () => {
    const { body, signature } = await signed({ MessageSid: 'SM2', AccountSid: 'AC1', From: '+15555550100', To: '+15555550199', Body: 'Is the grill in stock?' });
    expect(await readInboundSms(TOKEN, URL_, body, signature)).toMatchObject({ ok: true, keyword: null });
  });

  it('rejects an unsigned or re-addressed request before reading it', async () => {
    const { body, signature } = await signed({ MessageSid: 'SM3', AccountSid: 'AC1', From: '+33612345678', To: '+33700000000', Body: 'STOP' });
    expect(await readInboundSms(TOKEN, URL_, body, undefined)).toEqual({ ok: false, reason: 'signature' });
    expect(await readInboundSms(TOKEN, 'https://ns.example.com/webhooks/sms/st_2', body, signature)).toEqual({ ok: false, reason: 'signature' });
    expect(await readInboundSms(TOKEN, URL_, body.replace('%2B33612345678', '%2B33600000000'), signature)).toEqual({ ok: false, reason: 'signature' });
  });

  it('answers a signed but malformed form with a validation error', async () => {
    const { body, signature } = await signed({ Body: 'STOP' });
    await expect(readInboundSms(TOKEN, URL_, body, signature)).rejects.toBeInstanceOf(AppError);
  });
});
