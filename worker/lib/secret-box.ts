import { env } from 'cloudflare:workers';
import { base64UrlDecode, base64UrlEncode } from './tokens';
import { toHex } from './hmac';

/**
 * Store secrets at rest: AES-256-GCM through WebCrypto under the deployment key `SECRETS_KEY` (a Worker secret,
 * 32 random bytes in base64). A sealed value reads `enc:v1:<key id>:<iv>:<ciphertext>`: the key id (the first
 * 8 hex digits of the key's SHA-256) names the key that sealed it, so a rotation can move SECRETS_KEY to
 * SECRETS_KEY_PREVIOUS, still open old values, and let the re-encryption job reseal them under the new key. The
 * context (table, column, store) is the additional data: a sealed value copied to another store or column does
 * not open. A value without the prefix is a row written before encryption: it reads as is and is sealed by the
 * job or the next write. Anything else fails closed with a SecretsKeyError naming the problem.
 */
export const SEALED_PREFIX = 'enc:v1:';

export class SecretsKeyError extends Error {
  override name = 'SecretsKeyError';
}

type RingKey = { id: string; key: CryptoKey };
export type Keyring = { current: RingKey | null; previous: RingKey | null };

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const rings = new Map<string, Promise<Keyring>>();

async function ringKey(name: string, base64: string | undefined): Promise<RingKey | null> {
  if (!base64) return null;
  let raw: Uint8Array;
  try {
    raw = Uint8Array.from(atob(base64.trim()), (ch) => ch.charCodeAt(0));
  } catch {
    throw new SecretsKeyError(`${name} is not base64 (make one with: openssl rand -base64 32)`);
  }
  if (raw.byteLength !== 32) throw new SecretsKeyError(`${name} must hold 32 bytes in base64, not ${raw.byteLength} (openssl rand -base64 32)`);
  const id = toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', raw))).slice(0, 8);
  return { id, key: await crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']) };
}

/** The keyring of two base64 keys (tests pass their own; the worker uses `deploymentKeyring`). Cached per isolate. */
export function keyringOf(current: string | undefined, previous?: string): Promise<Keyring> {
  const cacheKey = `${current ?? ''}|${previous ?? ''}`;
  let ring = rings.get(cacheKey);
  if (!ring) {
    ring = Promise.all([ringKey('SECRETS_KEY', current), ringKey('SECRETS_KEY_PREVIOUS', previous)]).then(([c, p]) => ({ current: c, previous: p }));
    ring.catch(() => rings.delete(cacheKey));
    rings.set(cacheKey, ring);
  }
  return ring;
}

/** SECRETS_KEY and SECRETS_KEY_PREVIOUS of this deployment, read from the Worker's bindings. */
export function deploymentKeyring(): Promise<Keyring> {
  const bindings = env as unknown as { SECRETS_KEY?: string; SECRETS_KEY_PREVIOUS?: string };
  return keyringOf(bindings.SECRETS_KEY, bindings.SECRETS_KEY_PREVIOUS);
}

export async function sealSecret(plain: string, context: string, ring?: Keyring): Promise<string> {
  const current = (ring ?? (await deploymentKeyring())).current;
  if (!current) throw new SecretsKeyError('SECRETS_KEY is not set: store secrets cannot be stored (see README, Settings and secrets)');
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: encoder.encode(context) }, current.key, encoder.encode(plain));
  return `${SEALED_PREFIX}${current.id}:${base64UrlEncode(iv)}:${base64UrlEncode(new Uint8Array(sealed))}`;
}

/**
 * Values opened under each keyring, by context and sealed text (its random IV makes each sealing unique). Every woken
 * agent reads its store's row, secrets included: a thousand reminders opened the same few values a thousand times.
 * Per keyring, so a ring that lacks a key still fails closed on what another ring opened.
 */
const openedUnder = new WeakMap<Keyring, Map<string, string>>();
const OPENED_KEPT = 1000;

export async function openSecret(stored: string, context: string, ring?: Keyring): Promise<string> {
  if (!stored.startsWith(SEALED_PREFIX)) return stored;
  const keys = ring ?? (await deploymentKeyring());
  let cache = openedUnder.get(keys);
  if (!cache) openedUnder.set(keys, (cache = new Map()));
  const cacheKey = `${context}\n${stored}`;
  const known = cache.get(cacheKey);
  if (known !== undefined) return known;
  const plain = await openWith(keys, stored, context);
  if (cache.size >= OPENED_KEPT) cache.clear();
  cache.set(cacheKey, plain);
  return plain;
}

async function openWith(keys: Keyring, stored: string, context: string): Promise<string> {
  const [id = '', ivText = '', bodyText = ''] = stored.slice(SEALED_PREFIX.length).split(':');
  const key = [keys.current, keys.previous].find((k) => k?.id === id);
  if (!key) {
    throw new SecretsKeyError(`${context} is sealed under key ${id}, which is neither SECRETS_KEY (${keys.current?.id ?? 'not set'}) nor SECRETS_KEY_PREVIOUS (${keys.previous?.id ?? 'not set'})`);
  }
  const iv = base64UrlDecode(ivText);
  const body = base64UrlDecode(bodyText);
  try {
    if (!iv || !body) throw new Error('malformed');
    const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData: encoder.encode(context) }, key.key, body);
    return decoder.decode(plain);
  } catch {
    throw new SecretsKeyError(`${context} does not open under key ${id}: the value was altered or belongs elsewhere`);
  }
}

/** True for a clear value, or one sealed under any key but the current one: the re-encryption job reseals it. */
export function needsReseal(stored: string, ring: Keyring): boolean {
  return !stored.startsWith(`${SEALED_PREFIX}${ring.current?.id ?? '-'}:`);
}

type Row = Record<string, unknown>;

/**
 * Seals (or opens) the named secret columns of a row or patch, leaving every other field, nulls and SQL
 * expressions alone. One call per table in the query layer; adding a secret column is adding its name to the
 * table's list (`db/queries/secret-columns.ts`).
 */
export async function sealColumns<T extends Row>(table: string, storeId: string, row: T, columns: readonly string[], ring?: Keyring): Promise<T> {
  return mapColumns(row, columns, (v, c) => sealSecret(v, contextOf(table, c, storeId), ring));
}

export async function openColumns<T extends Row>(table: string, storeId: string, row: T, columns: readonly string[], ring?: Keyring): Promise<T> {
  return mapColumns(row, columns, (v, c) => openSecret(v, contextOf(table, c, storeId), ring));
}

export function contextOf(table: string, column: string, storeId: string): string {
  return `${table}.${column}:${storeId}`;
}

async function mapColumns<T extends Row>(row: T, columns: readonly string[], f: (value: string, column: string) => Promise<string>): Promise<T> {
  const out: Row = { ...row };
  await Promise.all(
    columns.map(async (c) => {
      const value = row[c];
      if (typeof value === 'string' && value !== '') out[c] = await f(value, c);
    }),
  );
  return out as T;
}
