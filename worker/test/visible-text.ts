const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
    return ENTITIES[name] ?? whole;
  });
}

/**
 * The text a reader sees on a dashboard page, in pieces as the page lays them out: text between
 * tags, and the labels shown or spoken from attributes (data-label, aria-label, title, placeholder).
 * Style, the email previews (srcdoc) and what the admin typed (textarea, pre) are left out: they
 * are data, not the dashboard's own words.
 */
export function visibleTexts(html: string): string[] {
  const body = html.replace(/<(style|script|textarea|pre)\b[^>]*>[\s\S]*?<\/\1>/gi, '');
  const texts: string[] = [];
  for (const m of body.matchAll(/\s(?:data-label|aria-label|title|placeholder)="([^"]*)"/g)) texts.push(decode(m[1] ?? ''));
  const withoutAttrs = body.replace(/<[^>]*>/g, '\n');
  for (const piece of withoutAttrs.split('\n')) {
    const text = decode(piece).trim();
    if (text) texts.push(text);
  }
  return texts;
}
