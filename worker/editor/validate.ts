import { z } from 'zod';
import { parseLiquid } from '../messaging/email/render';
import { Blocks } from './blocks';
import type { Problem, FieldName } from './copy';
import type { MessageStep } from './steps';
import { LINK_VARIABLES, LOOP_LINK_FIELDS, stepRoots, unknownVariables } from './vocabulary';

export const EmailDraft = z.object({
  subject: z.string().max(20_000),
  preheader: z.string().max(20_000).default(''),
  html: z.string().max(200_000),
  text: z.string().max(200_000),
  /** When given, `html` and `text` are compiled from the blocks (parseDraft). */
  blocks: Blocks.optional(),
});
export type EmailDraft = z.infer<typeof EmailDraft>;
export const SmsDraft = z.object({ text: z.string().max(5_000) });
export type SmsDraft = z.infer<typeof SmsDraft>;

export type FieldProblem = Problem & { field: FieldName };

const LIMITS: Record<FieldName, number> = { subject: 200, preheader: 250, html: 100_000, text: 100_000 };
const FORBIDDEN_TAGS = new Set(['style', 'script', 'iframe', 'object', 'embed', 'form', 'input', 'textarea', 'select', 'button', 'meta', 'link', 'base', 'title', 'head', 'body', 'html', 'svg', 'math', 'template', 'noscript', 'xmp', 'plaintext', 'frame', 'frameset', 'noembed', 'noframes']);
const VOID_TAGS = new Set(['br', 'img', 'hr', 'wbr', 'col', 'source']);
/** Ways a body could make the footer (or anything) invisible: `display:none`, zero size, off-screen. */
const HIDING = /(display\s*:\s*none|visibility\s*:\s*hidden|opacity\s*:\s*0(?![.\d]*[1-9])|font-size\s*:\s*0(?![.\d]*[1-9])|(max-)?height\s*:\s*0(?![.\d]*[1-9])|position\s*:\s*(absolute|fixed)|overflow\s*:\s*hidden|\bhidden\s*(=|\s|>))/i;

function lineOf(source: string, index: number): number {
  return source.slice(0, index).split('\n').length;
}

function parseProblem(source: string, kind: 'html' | 'text'): Problem | null {
  try {
    parseLiquid(source, kind);
    return null;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const line = /line:(\d+)/.exec(message)?.[1];
    return { code: 'parse', detail: message.split('\n')[0]!.replace(/,\s*line:\d+,\s*col:\d+$/, ''), ...(line ? { line: Number(line) } : {}) };
  }
}

/** Liquid removed, so the HTML around it can be read: an output becomes a placeholder word. */
const bare = (source: string) => source.replace(/\{%-?[\s\S]*?-?%\}/g, '').replace(/\{\{-?[\s\S]*?-?\}\}/g, 'x');

function linkProblems(source: string): Problem[] {
  const problems: Problem[] = [];
  for (const m of source.matchAll(/\b(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi)) {
    const value = (m[1] ?? m[2] ?? m[3] ?? '').trim();
    if (/^https?:\/\/[^\s/{}]+/i.test(value) || /^mailto:/i.test(value)) continue;
    const variable = /^\{\{-?\s*([a-z_][\w.]*)/i.exec(value)?.[1];
    const parts = variable?.split('.') ?? [];
    if (variable && (LINK_VARIABLES.has(variable) || (parts.length === 2 && LOOP_LINK_FIELDS.has(parts[1]!)))) continue;
    problems.push({ code: 'bad_link', detail: value || '""', line: lineOf(source, m.index) });
  }
  return problems;
}

/** The layout adds the unsubscribe link and the postal address after the body: nothing in it may hide or swallow them. */
function footerProblems(source: string): Problem[] {
  const problems: Problem[] = [];
  const html = bare(source);
  if (html.includes('<!--')) problems.push({ code: 'comment' });
  const hiding = HIDING.exec(html);
  if (hiding) problems.push({ code: 'hidden_style', detail: hiding[0].trim() });
  const open: string[] = [];
  for (const m of html.matchAll(/<(\/?)([a-z][a-z0-9]*)\b[^>]*?(\/?)>/gi)) {
    const tag = m[2]!.toLowerCase();
    if (FORBIDDEN_TAGS.has(tag)) {
      problems.push({ code: 'forbidden_tag', detail: tag });
      continue;
    }
    if (VOID_TAGS.has(tag) || m[3]) continue;
    if (!m[1]) open.push(tag);
    else if (open.at(-1) === tag) open.pop();
    else return [...problems, { code: 'unbalanced', detail: `/${tag}` }];
  }
  if (open.length > 0) problems.push({ code: 'unbalanced', detail: open.at(-1)! });
  return problems;
}

function fieldProblems(field: FieldName, source: string, kind: 'html' | 'text', roots: Set<string>, required: boolean): FieldProblem[] {
  const out: Problem[] = [];
  if (required && source.trim() === '') out.push({ code: 'required' });
  else if (source.length > LIMITS[field]) out.push({ code: 'too_long', max: LIMITS[field] });
  else {
    const parsed = parseProblem(source, kind);
    if (parsed) out.push(parsed);
    else for (const v of unknownVariables(source, kind, roots)) out.push({ code: 'unknown_variable', detail: v });
    if (field === 'html') out.push(...linkProblems(source), ...footerProblems(source));
  }
  return out.map((p) => ({ field, ...p }));
}

/** Every problem of an email draft, field by field (empty: it may be saved). */
export function validateEmailDraft(step: MessageStep, draft: EmailDraft): FieldProblem[] {
  const roots = stepRoots(step);
  return [
    ...fieldProblems('subject', draft.subject, 'text', roots, true),
    ...fieldProblems('preheader', draft.preheader, 'text', roots, false),
    ...fieldProblems('html', draft.html, 'html', roots, true),
    ...fieldProblems('text', draft.text, 'text', roots, true),
  ];
}

/** Carriers require the opt-out instruction in marketing texts; the shipped SMS all end with it. */
export function validateSmsDraft(step: MessageStep, draft: SmsDraft): FieldProblem[] {
  const problems = fieldProblems('text', draft.text, 'text', stepRoots(step), true);
  if (problems.length === 0 && !/\bSTOP\b/.test(draft.text)) problems.push({ field: 'text', code: 'opt_out_missing' });
  return problems;
}
