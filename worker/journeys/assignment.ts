import type { SplitBranch } from './flow-nodes';

const TWO_POW_53 = 2 ** 53;

/**
 * A uniform number in [0, 1) from a text key (cyrb53, a fast 53-bit string hash with good avalanche).
 * Pure and stable across runtimes and deploys, so an assignment made from it never changes.
 */
export function unitHash(key: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < key.length; i++) {
    const ch = key.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)) / TWO_POW_53;
}

/**
 * Whether the contact is in the flow's holdout. Keyed by flow id, not version: an edit never moves a
 * contact between the holdout and the treated group.
 */
export function inHoldout(contactId: string, flowId: string, holdoutPercent: number): boolean {
  return holdoutPercent > 0 && unitHash(`holdout|${flowId}|${contactId}`) * 100 < holdoutPercent;
}

/**
 * The branch of a split for a contact, by weight. Keyed by flow and experiment (two flows may both call
 * their test `length` without the same contacts landing on the same side of both).
 */
export function pickBranch(contactId: string, flowId: string, experiment: string, branches: SplitBranch[]): SplitBranch {
  const total = branches.reduce((sum, b) => sum + b.weight, 0);
  let point = unitHash(`split|${flowId}|${experiment}|${contactId}`) * total;
  for (const branch of branches) {
    point -= branch.weight;
    if (point < 0) return branch;
  }
  return branches[branches.length - 1]!;
}
