/** Sortable, URL-safe ids: a time prefix keeps inserts local in indexes. */
export function newId(prefix: string): string {
  const time = Date.now().toString(36).padStart(9, '0');
  const random = crypto.getRandomValues(new Uint8Array(10));
  const tail = Array.from(random, (b) => (b % 36).toString(36)).join('');
  return `${prefix}_${time}${tail}`;
}
