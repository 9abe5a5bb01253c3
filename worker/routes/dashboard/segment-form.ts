import type { z } from 'zod';
import type { ConditionKind, SegmentField, SegmentOption, SegmentsCopy } from '../../dashboard/copy-segments';
import type { Condition, RuleGroup } from '../../db/queries/segment-sql';
import { RFM_SEGMENTS } from '../../segments/rfm';
import { SegmentInput } from '../segments';

/** How the builder shows and reads each value of a condition; the API's zod schema still decides what is valid. */
export type FieldSpec =
  | { name: SegmentField; type: 'number' | 'text' | 'list'; optional?: boolean }
  | { name: SegmentField; type: 'select'; options: readonly SegmentOption[] }
  | { name: SegmentField; type: 'multi'; options: readonly string[] };

const num = (name: SegmentField, optional = false): FieldSpec => ({ name, type: 'number', optional });
const sel = (name: SegmentField, options: readonly SegmentOption[]): FieldSpec => ({ name, type: 'select', options });
const GTE_LTE = ['gte', 'lte'] as const;

export const CONDITION_FIELDS: Record<ConditionKind, FieldSpec[]> = {
  orders: [sel('metric', ['count', 'spend']), sel('op', GTE_LTE), num('value'), num('withinDays', true)],
  order_date: [sel('which', ['first', 'last']), sel('op', ['within', 'before']), num('days')],
  bought: [num('productId', true), num('categoryId', true), num('withinDays', true)],
  engagement: [sel('action', ['opened', 'clicked', 'visited']), num('withinDays')],
  viewed: [num('productId', true), num('categoryId', true), num('withinDays')],
  property: [{ name: 'key', type: 'text' }, sel('op', ['eq', 'neq', 'gte', 'lte', 'exists']), { name: 'value', type: 'text', optional: true }],
  tag: [{ name: 'tag', type: 'text' }],
  consent: [sel('channel', ['email', 'sms']), sel('granted', ['yes', 'no'])],
  timezone: [{ name: 'zones', type: 'list' }],
  location: [{ name: 'country', type: 'list' }],
  rfm: [{ name: 'segments', type: 'multi', options: RFM_SEGMENTS }],
  lead_score: [sel('op', GTE_LTE), num('value')],
  predicted_next_order: [sel('when', ['due_within', 'overdue_by']), num('days')],
  churn_risk: [num('pAliveBelow')],
};
export const CONDITION_KINDS = Object.keys(CONDITION_FIELDS) as ConditionKind[];
const isKind = (k: string | undefined): k is ConditionKind => k !== undefined && k in CONDITION_FIELDS;
export const MATCHES = ['all', 'any', 'none'] as const;
export type Match = (typeof MATCHES)[number];

/** One condition row as typed: its kind and each field's text (`segments.champions` = 'on' for a ticked box). */
export type Row = { kind: ConditionKind; values: Record<string, string> };
export type BuilderForm = { nameFr: string; nameEn: string; match: Match; rows: Row[] };
export type BuilderErrors = Record<string, string>;

const MAX_ROWS = 20;
export const emptyRow = (): Row => ({ kind: 'orders', values: { metric: 'count', op: 'gte' } });

/** The form fields back into rows (`c0.kind`, `c0.value`, …); `rows` says how many there are. */
export function formOf(fields: Record<string, string>): BuilderForm {
  const count = Math.min(MAX_ROWS, Math.max(0, Number.parseInt(fields.rows ?? '0', 10) || 0));
  const rows = Array.from({ length: count }, (_, i): Row => {
    const prefix = `c${i}.`;
    const values = Object.fromEntries(Object.entries(fields).filter(([k]) => k.startsWith(prefix) && k !== `${prefix}kind`).map(([k, v]) => [k.slice(prefix.length), v]));
    const kind = fields[`${prefix}kind`];
    return { kind: isKind(kind) ? kind : 'orders', values };
  });
  const match = MATCHES.find((m) => m === fields.match) ?? 'all';
  return { nameFr: fields.nameFr ?? '', nameEn: fields.nameEn ?? '', match, rows };
}

function numberOf(text: string): number | string {
  const n = Number(text.replace(',', '.'));
  // What is not a number goes to the schema as typed, which refuses it on this field.
  return text !== '' && Number.isFinite(n) ? n : text;
}

function fieldValue(spec: FieldSpec, values: Record<string, string>): unknown {
  const text = (values[spec.name] ?? '').trim();
  if (spec.type === 'multi') return spec.options.filter((o) => values[`${spec.name}.${o}`] === 'on');
  if (text === '') return undefined;
  if (spec.type === 'number') return numberOf(text);
  if (spec.type === 'list') return text.split(',').map((s) => s.trim()).filter(Boolean);
  if (spec.name === 'granted') return text === 'yes' ? true : text === 'no' ? false : text;
  // A property compared with ≥ or ≤ is a number; equality keeps the text.
  if (spec.name === 'value' && (values.op === 'gte' || values.op === 'lte')) return numberOf(text);
  return text;
}

export function conditionOf(row: Row): Record<string, unknown> {
  const out: Record<string, unknown> = { kind: row.kind };
  for (const spec of CONDITION_FIELDS[row.kind]) {
    const v = fieldValue(spec, row.values);
    if (v !== undefined) out[spec.name] = v;
  }
  return out;
}

/** The API's body for this form (not yet validated). */
export function inputOf(form: BuilderForm): unknown {
  const group = { [form.match]: form.rows.map(conditionOf) };
  return { name: { fr: form.nameFr.trim(), en: form.nameEn.trim() }, rules: { version: 1, match: group } };
}

function rowOf(c: Condition): Row {
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries(c)) {
    if (k === 'kind') continue;
    if (k === 'segments' && Array.isArray(v)) for (const s of v) values[`segments.${String(s)}`] = 'on';
    else if (Array.isArray(v)) values[k] = v.join(', ');
    else if (typeof v === 'boolean') values[k] = k === 'granted' ? (v ? 'yes' : 'no') : String(v);
    else values[k] = String(v);
  }
  return { kind: c.kind, values };
}

/** A stored segment as the builder's form, or null when its groups nest (the flat builder cannot show them). */
export function formOfSegment(name: { fr: string; en: string }, match: RuleGroup): BuilderForm | null {
  const m = MATCHES.find((k) => k in match) ?? 'all';
  const children = 'all' in match ? match.all : 'any' in match ? match.any : match.none;
  const conditions = children.filter((c): c is Condition => 'kind' in c);
  if (conditions.length !== children.length) return null;
  return { nameFr: name.fr, nameEn: name.en, match: m, rows: conditions.map(rowOf) };
}

type Issue = z.core.$ZodIssue;
type Path = PropertyKey[];

/** A union branch that is not what the admin meant: another condition kind, or a group where a condition stands. */
const offBranch = (i: Issue): boolean =>
  i.code === 'unrecognized_keys' ||
  (i.code === 'invalid_value' && i.path.at(-1) === 'kind') ||
  (i.code === 'invalid_type' && i.path.length === 1 && MATCHES.some((m) => m === i.path[0])) ||
  (i.code === 'invalid_union' && i.path.length === 0 && i.errors.every((b) => b.some(offBranch)));

/** Unions report every branch: keep the issues of the branch the input was meant for, with full paths. */
function leafIssues(issue: Issue, prefix: Path): { issue: Issue; path: Path }[] {
  const path = [...prefix, ...issue.path];
  if (issue.code !== 'invalid_union') return [{ issue, path }];
  const branch = issue.errors.find((b) => b.length > 0 && !b.some(offBranch));
  return branch ? branch.flatMap((i) => leafIssues(i, path)) : [{ issue, path }];
}

function messageOf(s: SegmentsCopy, kind: ConditionKind | undefined, field: PropertyKey | undefined, issue: Issue): string {
  if (field !== undefined) return s.errors.field;
  if (issue.code === 'custom' && (kind === 'bought' || kind === 'viewed')) return s.errors.productOrCategory;
  if (issue.code === 'custom' && kind === 'property') return s.errors.valueNeeded;
  return s.errors.condition;
}

/** zod's issues as the builder's field errors: `nameFr`, `c2.value` (a field), `c2` (the row), `rules` (the whole). */
export function builderErrors(s: SegmentsCopy, form: BuilderForm, issues: Issue[]): BuilderErrors {
  const out: BuilderErrors = {};
  for (const { issue, path } of issues.flatMap((i) => leafIssues(i, []))) {
    if (path[0] === 'name') out[path[1] === 'en' ? 'nameEn' : 'nameFr'] = s.errors.name;
    else if (path[1] === 'match' && typeof path[3] === 'number') {
      const field = path[4];
      const key = field === undefined ? `c${path[3]}` : `c${path[3]}.${String(field)}`;
      out[key] = messageOf(s, form.rows[path[3]]?.kind, field, issue);
    } else out.rules = s.errors.rules;
  }
  return out;
}

export type Parsed = { ok: true; input: SegmentInput } | { ok: false; errors: BuilderErrors };

/** The form through the API's own schema: what POST /api/segments would accept, or where it refuses. */
export function parseBuilder(s: SegmentsCopy, form: BuilderForm): Parsed {
  const parsed = SegmentInput.safeParse(inputOf(form));
  return parsed.success ? { ok: true, input: parsed.data } : { ok: false, errors: builderErrors(s, form, parsed.error.issues) };
}
