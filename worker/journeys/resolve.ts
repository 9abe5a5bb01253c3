import { assertNever } from './actions';
import type { Condition, DurationExpr } from './flow-nodes';
import type { Flow } from './flow-schema';
import { isSettingRef, type SettingRef } from './flow-settings';
import type { ContactFacts } from './events';
import type { EnrollmentContext } from './state';
import { durationMs, unitMs } from './time';

/** What conditions and derived durations can look at. */
export type Scope = { flow: Flow; contact: ContactFacts; context: EnrollmentContext };

/** A flow that fails these checks never passed Flow.parse; throwing here flags a programming error. */
function settingValue(flow: Flow, ref: SettingRef): unknown {
  const setting = flow.settings[ref.setting];
  if (!setting) throw new Error(`Flow ${flow.id} has no setting ${ref.setting}`);
  return setting.value;
}

export function resolve<T>(flow: Flow, value: T | SettingRef): unknown {
  return isSettingRef(value) ? settingValue(flow, value) : value;
}

export function resolveString(flow: Flow, value: string | SettingRef): string {
  const v = resolve(flow, value);
  if (typeof v !== 'string') throw new Error(`Flow ${flow.id}: expected text, got ${typeof v}`);
  return v;
}

export function resolveNumber(flow: Flow, value: number | SettingRef): number {
  const v = resolve(flow, value);
  if (typeof v !== 'number') throw new Error(`Flow ${flow.id}: expected a number, got ${typeof v}`);
  return v;
}

export function resolveEnabled(flow: Flow, value: boolean | SettingRef | undefined): boolean {
  return value === undefined ? true : resolve(flow, value) === true;
}

export function resolveList(flow: Flow, value: (string | number)[] | SettingRef | undefined): (string | number)[] {
  const v = value === undefined ? [] : resolve(flow, value);
  return Array.isArray(v) ? v.filter((x): x is string | number => typeof x === 'string' || typeof x === 'number') : [];
}

export function resolveDurationMs(scope: Scope, expr: DurationExpr): number {
  if (typeof expr === 'string' || isSettingRef(expr)) return durationMs(resolveString(scope.flow, expr));
  const source = expr.from === 'contact' ? scope.contact : scope.context.item;
  const base = Number(readPath(source, expr.path));
  const fallback = durationMs(resolveString(scope.flow, expr.fallback));
  if (!Number.isFinite(base) || base <= 0) return fallback;
  const times = expr.times === undefined ? 1 : resolveNumber(scope.flow, expr.times);
  const minus = expr.minus === undefined ? 0 : durationMs(resolveString(scope.flow, expr.minus));
  const floor = expr.min === undefined ? 0 : durationMs(resolveString(scope.flow, expr.min));
  const ceiling = expr.max === undefined ? Infinity : durationMs(resolveString(scope.flow, expr.max));
  return Math.min(ceiling, Math.max(floor, Math.round(base * unitMs(expr.unit) * times) - minus));
}

export function readPath(source: unknown, path: string): unknown {
  let current: unknown = source;
  for (const part of path.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function subjectOf(scope: Scope, condition: Condition): unknown {
  const { contact, context, flow } = scope;
  switch (condition.subject) {
    case 'contact':
      return readPath(contact, condition.path);
    case 'setting':
      return flow.settings[condition.path]?.value;
    case 'cart':
      return readPath(context.cart, condition.path);
    case 'order':
      return readPath(context.order, condition.path);
    case 'event':
      return readPath(context.event, condition.path);
    case 'item':
      return readPath(context.item, condition.path);
    case 'link':
      return readPath(context.link, condition.path);
    default:
      return assertNever(condition.subject);
  }
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const scalar = (x: unknown) => typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean';
  return scalar(a) && scalar(b) && String(a) === String(b);
}

function compare(actual: unknown, expected: unknown, op: 'gt' | 'gte' | 'lt' | 'lte'): boolean {
  const a = Number(actual);
  const b = Number(expected);
  if (actual === null || actual === undefined || !Number.isFinite(a) || !Number.isFinite(b)) return false;
  if (op === 'gt') return a > b;
  if (op === 'gte') return a >= b;
  if (op === 'lt') return a < b;
  return a <= b;
}

export function holds(scope: Scope, condition: Condition): boolean {
  const actual = subjectOf(scope, condition);
  const expected = condition.value === undefined ? undefined : resolve(scope.flow, condition.value);
  const list = (x: unknown): unknown[] => (Array.isArray(x) ? x : []);
  switch (condition.op) {
    case 'eq':
      return same(actual, expected);
    case 'neq':
      return !same(actual, expected);
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return compare(actual, expected, condition.op);
    case 'in':
      return list(expected).some((x) => same(actual, x));
    case 'contains':
      return typeof actual === 'string' ? actual.includes(String(expected)) : list(actual).some((x) => same(x, expected));
    case 'intersects':
      return list(actual).some((a) => list(expected).some((e) => same(a, e)));
    case 'exists':
      return actual !== undefined && actual !== null;
    case 'missing':
      return actual === undefined || actual === null;
    case 'empty':
      return actual === undefined || actual === null || ((Array.isArray(actual) || typeof actual === 'string') && actual.length === 0);
  }
}

export function allHold(scope: Scope, conditions: Condition[]): boolean {
  return conditions.every((c) => holds(scope, c));
}
