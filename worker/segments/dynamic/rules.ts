import { z } from 'zod';
import type { Condition, RuleGroup, RuleNode, SegmentRules as Rules } from '../../db/queries/segment-sql';
import { RFM_SEGMENTS } from '../rfm';

/**
 * The segment rule language, version 1: AND (`all`), OR (`any`) and NOT (`none`) groups of conditions. Rules are
 * stored as JSON with their version, so a later version can read the old ones. Each condition is compiled to SQL
 * by db/queries/segment-sql.ts. Predicted next order and churn risk read the nightly predictions (worker/predictions/).
 */
const Days = z.number().int().min(1).max(3650);
const Id = z.number().int().positive();
const Comparison = z.enum(['gte', 'lte']);
/** A query may bind at most 100 values on D1: a bound on conditions keeps every rule set under it. */
export const MAX_CONDITIONS = 20;

const OrdersCondition = z.strictObject({
  kind: z.literal('orders'),
  metric: z.enum(['count', 'spend']),
  op: Comparison,
  value: z.number().min(0),
  withinDays: Days.optional(),
});
const OrderDateCondition = z.strictObject({ kind: z.literal('order_date'), which: z.enum(['first', 'last']), op: z.enum(['within', 'before']), days: Days });
const productOrCategory = (c: { productId?: number; categoryId?: number }) => c.productId !== undefined || c.categoryId !== undefined;
const BoughtCondition = z
  .strictObject({ kind: z.literal('bought'), productId: Id.optional(), categoryId: Id.optional(), withinDays: Days.optional() })
  .refine(productOrCategory, 'name a productId or a categoryId');
const EngagementCondition = z.strictObject({ kind: z.literal('engagement'), action: z.enum(['opened', 'clicked', 'visited']), withinDays: Days });
const ViewedCondition = z
  .strictObject({ kind: z.literal('viewed'), productId: Id.optional(), categoryId: Id.optional(), withinDays: Days })
  .refine(productOrCategory, 'name a productId or a categoryId');
const PropertyCondition = z
  .strictObject({
    kind: z.literal('property'),
    key: z.string().min(1).max(64),
    op: z.enum(['eq', 'neq', 'gte', 'lte', 'exists']),
    value: z.union([z.string().max(200), z.number(), z.boolean()]).optional(),
  })
  .refine((c) => c.op === 'exists' || c.value !== undefined, 'a value is needed unless op is exists');
const TagCondition = z.strictObject({ kind: z.literal('tag'), tag: z.string().min(1).max(64) });
const ConsentCondition = z.strictObject({ kind: z.literal('consent'), channel: z.enum(['email', 'sms']), granted: z.boolean() });
const TimezoneCondition = z.strictObject({ kind: z.literal('timezone'), zones: z.array(z.string().min(1).max(64)).min(1).max(20) });
/** ISO 3166-1 alpha-2 codes, compared upper-case with the country of the contact's latest order address. */
const LocationCondition = z.strictObject({
  kind: z.literal('location'),
  country: z.array(z.string().trim().regex(/^[A-Za-z]{2}$/, 'a two-letter country code such as FR').toUpperCase()).min(1).max(30),
});
const RfmCondition = z.strictObject({ kind: z.literal('rfm'), segments: z.array(z.enum(RFM_SEGMENTS)).min(1).max(RFM_SEGMENTS.length) });
const LeadScoreCondition = z.strictObject({ kind: z.literal('lead_score'), op: Comparison, value: z.number() });
const PredictedNextOrderCondition = z.strictObject({ kind: z.literal('predicted_next_order'), when: z.enum(['due_within', 'overdue_by']), days: z.number().int().min(0).max(3650) });
const ChurnRiskCondition = z.strictObject({ kind: z.literal('churn_risk'), pAliveBelow: z.number().gt(0).max(1) });

export const SegmentCondition: z.ZodType<Condition> = z.union([
  OrdersCondition,
  OrderDateCondition,
  BoughtCondition,
  EngagementCondition,
  ViewedCondition,
  PropertyCondition,
  TagCondition,
  ConsentCondition,
  TimezoneCondition,
  LocationCondition,
  RfmCondition,
  LeadScoreCondition,
  PredictedNextOrderCondition,
  ChurnRiskCondition,
]);

const Nodes = z.array(z.lazy((): z.ZodType<RuleNode> => RuleNodeSchema)).max(MAX_CONDITIONS);
export const SegmentGroup: z.ZodType<RuleGroup> = z.union([
  z.strictObject({ all: Nodes }),
  z.strictObject({ any: Nodes }),
  z.strictObject({ none: Nodes }),
]);
const RuleNodeSchema: z.ZodType<RuleNode> = z.union([SegmentGroup, SegmentCondition]);

/** SQLite refuses expression trees deeper than 100: groups nest at most this deep. */
export const MAX_DEPTH = 4;

const childrenOf = (node: RuleNode): RuleNode[] | null => ('all' in node ? node.all : 'any' in node ? node.any : 'none' in node ? node.none : null);
const countConditions = (node: RuleNode): number => childrenOf(node)?.reduce((n, x) => n + countConditions(x), 0) ?? 1;
const depthOf = (node: RuleNode): number => {
  const children = childrenOf(node);
  return children ? 1 + Math.max(0, ...children.map(depthOf)) : 0;
};

export const SegmentRules: z.ZodType<Rules> = z
  .strictObject({ version: z.literal(1), match: SegmentGroup })
  .refine((r) => countConditions(r.match) <= MAX_CONDITIONS, `at most ${MAX_CONDITIONS} conditions`)
  .refine((r) => depthOf(r.match) <= MAX_DEPTH, `groups nest at most ${MAX_DEPTH} deep`);
export type SegmentRules = Rules;
