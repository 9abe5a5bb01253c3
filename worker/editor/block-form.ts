import { z } from 'zod';
import { Blocks, type Block } from './blocks';

export const BLOCK_TYPES = ['heading', 'text', 'image', 'button', 'product', 'recommendations', 'cart', 'coupon', 'if'] as const;
export type BlockType = (typeof BLOCK_TYPES)[number];
export const BLOCK_FIELDS = ['text', 'src', 'alt', 'href', 'label', 'cond', 'key', 'equals'] as const;
export type BlockField = (typeof BLOCK_FIELDS)[number];

/** A block as the form holds it while it is edited: every value a string, possibly still empty. */
export type EditBlock = { type: BlockType; values: Partial<Record<BlockField, string>>; children: EditBlock[] };

const isType = (v: string | undefined): v is BlockType => (BLOCK_TYPES as readonly string[]).includes(v ?? '');
const isField = (v: string): v is BlockField => (BLOCK_FIELDS as readonly string[]).includes(v);

/** Field names: `b2_text` for the third block, `b2c0_text` for the first block inside it. */
export const fieldName = (path: number[], field: BlockField | 'type') => `b${path[0]}${path.length > 1 ? `c${path[1]}` : ''}_${field}`;

/** The blocks posted by the form, in their index order; unknown or malformed names are ignored. */
export function blocksFromForm(form: Record<string, string>): EditBlock[] {
  const top = new Map<number, EditBlock>();
  const inner = new Map<string, EditBlock>();
  const entries = Object.entries(form).sort(([a], [b]) => a.localeCompare(b));
  for (const [name, value] of entries) {
    const m = /^b(\d{1,2})(?:c(\d{1,2}))?_type$/.exec(name);
    if (!m || !isType(value)) continue;
    const block: EditBlock = { type: value, values: {}, children: [] };
    if (m[2] === undefined) top.set(Number(m[1]), block);
    else if (value !== 'if') inner.set(`${m[1]}:${m[2]}`, block);
  }
  for (const [name, value] of entries) {
    const m = /^b(\d{1,2})(?:c(\d{1,2}))?_(\w+)$/.exec(name);
    const field = m?.[3] ?? '';
    if (!m || !isField(field)) continue;
    const target = m[2] === undefined ? top.get(Number(m[1])) : inner.get(`${m[1]}:${m[2]}`);
    if (target) target.values[field] = value;
  }
  for (const [key, block] of [...inner.entries()].sort(([a], [b]) => Number(a.split(':')[1]) - Number(b.split(':')[1]))) {
    const parent = top.get(Number(key.split(':')[0]));
    if (parent?.type === 'if') parent.children.push(block);
  }
  return [...top.entries()].sort(([a], [b]) => a - b).map(([, b]) => b);
}

export const BlockOp = z.union([
  z.enum(['save', 'preview', 'test', 'add']).transform((op) => ({ op, path: [] as number[] })),
  z
    .string()
    .regex(/^(add|up|down|remove):\d{1,2}(-\d{1,2})?$/)
    .transform((v) => {
      const [op = '', where = ''] = v.split(':');
      return { op, path: where.split('-').map(Number) };
    }),
]);
export type BlockOp = z.infer<typeof BlockOp>;

function move<T>(list: T[], i: number, by: number): T[] {
  const j = i + by;
  if (i < 0 || j < 0 || i >= list.length || j >= list.length) return list;
  const next = [...list];
  [next[i], next[j]] = [next[j] as T, next[i] as T];
  return next;
}

export function emptyBlock(type: BlockType): EditBlock {
  return { type, values: type === 'if' ? { cond: 'property' } : {}, children: [] };
}

/** Add (at the end, or inside the conditional block at `path`), move or remove one block. */
export function applyOp(blocks: EditBlock[], op: string, path: number[], newType: BlockType | undefined): EditBlock[] {
  const [i = -1, j] = path;
  const inside = (f: (children: EditBlock[]) => EditBlock[]) => blocks.map((b, k) => (k === i ? { ...b, children: f(b.children) } : b));
  switch (op) {
    case 'add':
      if (!newType) return blocks;
      if (path.length === 0) return [...blocks, emptyBlock(newType)];
      return newType === 'if' ? blocks : inside((c) => [...c, emptyBlock(newType)]);
    case 'up':
    case 'down': {
      const by = op === 'up' ? -1 : 1;
      return j === undefined ? move(blocks, i, by) : inside((c) => move(c, j, by));
    }
    case 'remove':
      return j === undefined ? blocks.filter((_, k) => k !== i) : inside((c) => c.filter((_, k) => k !== j));
    default:
      return blocks;
  }
}

function leafOf(b: EditBlock): Record<string, string> {
  const v = b.values;
  const keep = (field: BlockField, optional = false) => {
    const value = (v[field] ?? '').trim();
    return optional && value === '' ? {} : { [field]: value };
  };
  switch (b.type) {
    case 'heading':
    case 'text':
      return { type: b.type, text: (v.text ?? '').trim() };
    case 'image':
      return { type: b.type, ...keep('src'), alt: (v.alt ?? '').trim(), ...keep('href', true) };
    case 'button':
      return { type: b.type, ...keep('label'), ...keep('href') };
    default:
      return { type: b.type };
  }
}

function conditionOf(b: EditBlock): Record<string, string> {
  const key = (b.values.key ?? '').trim();
  if (b.values.cond === 'tag') return { tag: key };
  if (b.values.cond === 'segment') return { segment: key };
  if (b.values.cond === 'when') return { when: key };
  const equals = (b.values.equals ?? '').trim();
  return { property: key, ...(equals ? { equals } : {}) };
}

export type BlockProblem = { where: string; field: string };

/** The edited blocks as the API's `blocks`, or the first problems found, each placed by block number (1-based) and field. */
export function checkBlocks(blocks: EditBlock[]): { blocks: Block[] } | { problems: BlockProblem[] } {
  const raw = blocks.map((b) => (b.type === 'if' ? { type: 'if', ...conditionOf(b), blocks: b.children.map(leafOf) } : leafOf(b)));
  const parsed = Blocks.safeParse(raw);
  if (parsed.success) return { blocks: parsed.data };
  const problems = parsed.error.issues.map((issue) => {
    const [i, inner, j, field] = issue.path;
    const where = inner === 'blocks' && typeof j === 'number' ? `${Number(i) + 1}.${j + 1}` : typeof i === 'number' ? String(i + 1) : '';
    const name = inner === 'blocks' ? field : inner;
    return { where, field: typeof name === 'string' ? name : '' };
  });
  return { problems };
}
