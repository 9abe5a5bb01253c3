import { describe, expect, it } from 'vitest';
import { twilioSignature, verifyTwilioSignature } from './sms-signature';

// Expected values computed independently with Node's crypto.createHmac('sha1', token).
describe('Twilio request signature', () => {
  it('matches the example from Twilio’s security documentation', async () => {
    const params: [string, string][] = [
      ['CallSid', 'CA1234567890ABCDE'],
      ['Caller', '+12349013030'],
      ['Digits', '1234'],
      ['From', '+12349013030'],
      ['To', '+18005551212'],
    ];
    expect(await twilioSignature('12345', 'https://mycompany.com/myapp.php?foo=1&bar=2', params)).toBe(
      '0/KCTR6DLpKmkAf8muzZqo1nDgQ=',
    );
  });

  const url = 'https://ns.example.com/webhooks/sms/store_sig';
  const token = 'twilio-auth-token-test';
  const form = new URLSearchParams({
    MessageSid: 'SM0123456789abcdef0123456789abcdef',
    AccountSid: 'AC00000000000000000000000000000000',
    From: '+33612345678',
    To: '+33700000000',
    Body: 'Arrêt SMS',
    NumMedia: '0',
  });

  it('verifies an inbound STOP form whatever the parameter order, with non-ASCII bodies', async () => {
    expect(await verifyTwilioSignature(token, url, form.entries(), 'G9X3KCtggOt/uowC3qdL3N+xLZ8=')).toBe(true);
    const reversed = [...form.entries()].reverse();
    expect(await verifyTwilioSignature(token, url, reversed, 'G9X3KCtggOt/uowC3qdL3N+xLZ8=')).toBe(true);
  });

  it('rejects a tampered body, another URL, another token or a missing header', async () => {
    const sig = 'G9X3KCtggOt/uowC3qdL3N+xLZ8=';
    const tampered = new URLSearchParams(form);
    tampered.set('From', '+33699999999');
    expect(await verifyTwilioSignature(token, url, tampered.entries(), sig)).toBe(false);
    expect(await verifyTwilioSignature(token, `${url}/other`, form.entries(), sig)).toBe(false);
    expect(await verifyTwilioSignature('another-token', url, form.entries(), sig)).toBe(false);
    expect(await verifyTwilioSignature(token, url, form.entries(), undefined)).toBe(false);
  });
});
