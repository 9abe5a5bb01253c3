/** GSM 03.38 basic set and the extension set (each extension character costs two septets). */
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const GSM_EXTENDED = new Set('^{}\\[~]|€\f');

export type SmsSegments = { encoding: 'GSM-7' | 'UCS-2'; length: number; units: number; segments: number };

/**
 * How a carrier splits the text: GSM-7 fits 160 septets in one part and 153 per part once
 * concatenated; one character outside it switches the whole message to UCS-2 (70, then 67 UTF-16 units).
 */
export function smsSegments(body: string): SmsSegments {
  const chars = [...body];
  let septets = 0;
  let gsm = true;
  for (const ch of chars) {
    if (GSM_BASIC.has(ch)) septets += 1;
    else if (GSM_EXTENDED.has(ch)) septets += 2;
    else gsm = false;
  }
  if (gsm) return { encoding: 'GSM-7', length: chars.length, units: septets, segments: septets === 0 ? 0 : septets <= 160 ? 1 : Math.ceil(septets / 153) };
  const units = body.length;
  return { encoding: 'UCS-2', length: chars.length, units, segments: units <= 70 ? 1 : Math.ceil(units / 67) };
}
