import { sha256Hex } from '../lib/hmac';
import type { Db } from '../db/client';
import { listSegmentAudienceForExport, type AudienceExportRow, type ExportChannel } from '../db/queries/audiences';

/** Ad platforms match on SHA-256 of the trimmed, lower-cased email. */
export async function hashEmail(email: string | null): Promise<string> {
  const normalized = (email ?? '').trim().toLowerCase();
  return normalized ? sha256Hex(normalized) : '';
}

/** E.164 (`+` and digits, no spaces or punctuation), hashed; a number without its country code cannot match and is left out. */
export async function hashPhone(phone: string | null): Promise<string> {
  const trimmed = (phone ?? '').trim();
  if (!trimmed.startsWith('+') && !trimmed.startsWith('00')) return '';
  const digits = trimmed.replace(/^00/, '').replace(/\D/g, '');
  return /^[1-9]\d{6,14}$/.test(digits) ? sha256Hex(`+${digits}`) : '';
}

export const AUDIENCE_CSV_HEADER = 'email_sha256,phone_sha256';

/** One line per member with at least one identifier; hex digests need no CSV quoting. */
export async function audienceCsv(rows: AudienceExportRow[]): Promise<string> {
  const lines = [AUDIENCE_CSV_HEADER];
  for (const row of rows) {
    const [email, phone] = await Promise.all([hashEmail(row.email), hashPhone(row.phone)]);
    if (email || phone) lines.push(`${email},${phone}`);
  }
  return lines.join('\r\n') + '\r\n';
}

/** A segment's members as an ad-platform audience: one channel's identifiers, or both when no channel is named. */
export async function segmentAudienceCsv(d: Db, storeId: string, segmentId: string, channel?: ExportChannel): Promise<string> {
  return audienceCsv(await listSegmentAudienceForExport(d, storeId, segmentId, channel ? [channel] : ['email', 'sms']));
}
