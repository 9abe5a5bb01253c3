import { sql, type SQL } from 'drizzle-orm';

/**
 * Segment rules (version 1) and their compilation to ONE store-scoped, parameterised query over `contacts c`.
 * The zod schema that admits these shapes is segments/rules.ts; the types live here so the database layer does not
 * import upward. Every value reaches SQL as a bound parameter; only fixed fragments chosen by a `switch` are text.
 */
export type Comparison = 'gte' | 'lte';
export type Channel = 'email' | 'sms';

export type Condition =
  | { kind: 'orders'; metric: 'count' | 'spend'; op: Comparison; value: number; withinDays?: number }
  | { kind: 'order_date'; which: 'first' | 'last'; op: 'within' | 'before'; days: number }
  | { kind: 'bought'; productId?: number; categoryId?: number; withinDays?: number }
  | { kind: 'engagement'; action: 'opened' | 'clicked' | 'visited'; withinDays: number }
  | { kind: 'viewed'; productId?: number; categoryId?: number; withinDays: number }
  | { kind: 'property'; key: string; op: 'eq' | 'neq' | 'gte' | 'lte' | 'exists'; value?: string | number | boolean }
  | { kind: 'tag'; tag: string }
  | { kind: 'consent'; channel: Channel; granted: boolean }
  | { kind: 'timezone'; zones: string[] }
  | { kind: 'location'; country: string[] }
  | { kind: 'rfm'; segments: string[] }
  | { kind: 'lead_score'; op: Comparison; value: number }
  | { kind: 'predicted_next_order'; when: 'due_within' | 'overdue_by'; days: number }
  | { kind: 'churn_risk'; pAliveBelow: number };

export type RuleNode = Condition | RuleGroup;
/** `all`: every node holds; `any`: at least one; `none`: not one (the way to say "has not"). */
export type RuleGroup = { all: RuleNode[] } | { any: RuleNode[] } | { none: RuleNode[] };
export type SegmentRules = { version: 1; match: RuleGroup };

/** What compiling needs besides the rules: the clock (windows end at `now`) and the lead-score half-life. */
export type CompileContext = { now: number; halfLifeDays: number };

const DAY = 86_400_000;
// A standing paid order: paid, not cancelled, deleted or refunded in full. Spend is net of refunds.
const STANDING = sql.raw(`o.paid_at IS NOT NULL AND o.cancelled_at IS NULL AND o.deleted_at IS NULL AND o.status != 'refunded'`);
const MINE = (alias: string) => sql.raw(`${alias}.store_id = c.store_id AND ${alias}.contact_id = c.id`);
const cmp = (op: Comparison | 'eq' | 'neq'): SQL => sql.raw({ gte: '>=', lte: '<=', eq: '=', neq: '!=' }[op]);
const since = (ctx: CompileContext, days: number | undefined): SQL => (days === undefined ? sql`` : sql` AND o.created_at >= ${ctx.now - days * DAY}`);

function ordersCondition(c: Extract<Condition, { kind: 'orders' }>, ctx: CompileContext): SQL {
  const agg = c.metric === 'count' ? sql.raw('count(*)') : sql.raw('coalesce(sum(o.total - o.refunded_total), 0)');
  return sql`(SELECT ${agg} FROM orders o WHERE ${MINE('o')} AND ${STANDING}${since(ctx, c.withinDays)}) ${cmp(c.op)} ${c.value}`;
}

function orderDateCondition(c: Extract<Condition, { kind: 'order_date' }>, ctx: CompileContext): SQL {
  const agg = sql.raw(c.which === 'first' ? 'min(o.created_at)' : 'max(o.created_at)');
  const date = sql`(SELECT ${agg} FROM orders o WHERE ${MINE('o')} AND ${STANDING})`;
  const cut = ctx.now - c.days * DAY;
  return c.op === 'within' ? sql`${date} >= ${cut}` : sql`${date} < ${cut}`;
}

/** A product's categories are a JSON array of {id, name, slug} on the product row (a line names its parent product). */
const inCategory = (productRef: SQL, categoryId: number): SQL =>
  sql`EXISTS (SELECT 1 FROM products p, json_each(p.categories) pc WHERE p.store_id = c.store_id AND p.id = ${productRef} AND json_extract(pc.value, '$.id') = ${categoryId})`;

function boughtCondition(c: Extract<Condition, { kind: 'bought' }>, ctx: CompileContext): SQL {
  const product = c.productId === undefined ? sql`` : sql` AND (i.product_id = ${c.productId} OR i.variation_id = ${c.productId})`;
  const category = c.categoryId === undefined ? sql`` : sql` AND ${inCategory(sql.raw('i.product_id'), c.categoryId)}`;
  return sql`EXISTS (SELECT 1 FROM orders o JOIN order_items i ON i.store_id = o.store_id AND i.order_id = o.id
    WHERE ${MINE('o')} AND ${STANDING}${since(ctx, c.withinDays)}${product}${category})`;
}

const recentEvent = (types: SQL, days: number, ctx: CompileContext, extra: SQL = sql``): SQL =>
  sql`EXISTS (SELECT 1 FROM events e WHERE ${MINE('e')} AND ${types} AND e.occurred_at >= ${ctx.now - days * DAY}${extra})`;

function engagementCondition(c: Extract<Condition, { kind: 'engagement' }>, ctx: CompileContext): SQL {
  if (c.action === 'visited') return recentEvent(sql.raw(`e.source = 'browser'`), c.withinDays, ctx);
  return recentEvent(sql.raw(c.action === 'opened' ? `e.type = 'message.opened'` : `e.type = 'message.clicked'`), c.withinDays, ctx);
}

function viewedCondition(c: Extract<Condition, { kind: 'viewed' }>, ctx: CompileContext): SQL {
  const product = c.productId === undefined ? sql`` : sql` AND json_extract(e.properties, '$.productId') = ${c.productId}`;
  if (c.categoryId === undefined) return recentEvent(sql.raw(`e.type = 'product_view'`), c.withinDays, ctx, product);
  const category = sql` AND (json_extract(e.properties, '$.categoryId') = ${c.categoryId}
    OR EXISTS (SELECT 1 FROM json_each(e.properties, '$.categoryIds') v WHERE v.value = ${c.categoryId}))`;
  return recentEvent(sql.raw(`e.type IN ('product_view', 'category_view')`), c.withinDays, ctx, sql`${product}${category}`);
}

/**
 * Zero-party data: a property set on the contact (a flow, an import) or, failing that, the contact's own answer to a
 * one-click question in an email (preference_answers, stored as text).
 */
function propertyCondition(c: Extract<Condition, { kind: 'property' }>): SQL {
  const value = sql`coalesce((SELECT json_extract(cp.value, '$') FROM contact_properties cp WHERE ${MINE('cp')} AND cp.key = ${c.key}),
    (SELECT pa.value FROM preference_answers pa WHERE ${MINE('pa')} AND pa.key = ${c.key}))`;
  if (c.op === 'exists' || c.value === undefined) return sql`${value} IS NOT NULL`;
  const bound = typeof c.value === 'boolean' ? Number(c.value) : c.value;
  return c.op === 'neq' ? sql`coalesce(${value} != ${bound}, 1)` : sql`${value} ${cmp(c.op)} ${bound}`;
}

function consentCondition(c: Extract<Condition, { kind: 'consent' }>): SQL {
  const latest = sql`(SELECT k.granted FROM consents k WHERE ${MINE('k')} AND k.channel = ${c.channel} AND k.purpose = 'marketing'
    ORDER BY k.occurred_at DESC, k.id DESC LIMIT 1)`;
  return c.granted ? sql`coalesce(${latest}, 0) = 1` : sql`coalesce(${latest}, 0) = 0`;
}

/** The lead score as it stands at `now`: stored score halved once per half-life since its last update. */
function leadScoreCondition(c: Extract<Condition, { kind: 'lead_score' }>, ctx: CompileContext): SQL {
  const halfLife = ctx.halfLifeDays * DAY;
  const score = sql`(SELECT s.lead_score * pow(2, -max(0, ${ctx.now} - coalesce(s.lead_score_at, ${ctx.now})) / ${halfLife})
    FROM contact_scores s WHERE ${MINE('s')})`;
  return sql`coalesce(${score}, 0) ${cmp(c.op)} ${c.value}`;
}

/** Predicted next order (predictions/next-order.ts): due in the next N days, or N days or more past its date. */
function predictedNextOrderSql(c: Extract<Condition, { kind: 'predicted_next_order' }>, ctx: CompileContext): SQL {
  const range = c.when === 'due_within' ? sql`s.next_order_at >= ${ctx.now} AND s.next_order_at <= ${ctx.now + c.days * DAY}` : sql`s.next_order_at <= ${ctx.now - c.days * DAY}`;
  return sql`EXISTS (SELECT 1 FROM contact_scores s WHERE ${MINE('s')} AND ${range})`;
}

function conditionSql(c: Condition, ctx: CompileContext): SQL {
  switch (c.kind) {
    case 'orders':
      return ordersCondition(c, ctx);
    case 'order_date':
      return orderDateCondition(c, ctx);
    case 'bought':
      return boughtCondition(c, ctx);
    case 'engagement':
      return engagementCondition(c, ctx);
    case 'viewed':
      return viewedCondition(c, ctx);
    case 'property':
      return propertyCondition(c);
    case 'tag':
      return sql`EXISTS (SELECT 1 FROM contact_tags t WHERE ${MINE('t')} AND t.tag = ${c.tag})`;
    case 'consent':
      return consentCondition(c);
    case 'timezone':
      return sql`coalesce(c.timezone, c.geo_timezone) IN (${sql.join(c.zones.map((z) => sql`${z}`), sql`, `)})`;
    case 'location':
      // contacts.country: the billing (else shipping) country of the latest WooCommerce order or customer record.
      return sql`c.country IN (${sql.join(c.country.map((code) => sql`${code}`), sql`, `)})`;
    case 'rfm':
      return sql`EXISTS (SELECT 1 FROM contact_scores s WHERE ${MINE('s')} AND s.rfm_segment IN (${sql.join(c.segments.map((s) => sql`${s}`), sql`, `)}))`;
    case 'lead_score':
      return leadScoreCondition(c, ctx);
    case 'predicted_next_order':
      return predictedNextOrderSql(c, ctx);
    case 'churn_risk':
      // Only stores fitted by BG/NBD have an alive probability: a buyer scored by gaps alone is never "at churn risk".
      return sql`EXISTS (SELECT 1 FROM contact_scores s WHERE ${MINE('s')} AND s.p_alive < ${c.pAliveBelow})`;
  }
}

function nodeSql(node: RuleNode, ctx: CompileContext): SQL {
  if ('all' in node) return joined(node.all, ' AND ', '1', ctx);
  if ('any' in node) return joined(node.any, ' OR ', '0', ctx);
  if ('none' in node) return sql`NOT ${joined(node.none, ' OR ', '0', ctx)}`;
  return sql`(${conditionSql(node, ctx)})`;
}

function joined(nodes: RuleNode[], glue: string, empty: string, ctx: CompileContext): SQL {
  if (nodes.length === 0) return sql.raw(empty);
  return sql`(${sql.join(nodes.map((n) => nodeSql(n, ctx)), sql.raw(glue))})`;
}

/** The contact ids of `storeId` matching `rules` at `ctx.now`; `contactId` narrows it to one contact (incremental updates). */
export function segmentQuery(storeId: string, rules: SegmentRules, ctx: CompileContext, contactId?: string): SQL {
  const one = contactId === undefined ? sql`` : sql` AND c.id = ${contactId}`;
  return sql`SELECT c.id FROM contacts c WHERE c.store_id = ${storeId}${one} AND ${nodeSql(rules.match, ctx)}`;
}
