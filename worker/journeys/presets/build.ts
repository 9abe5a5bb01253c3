import type { Condition } from '../flow-nodes';
import type { SettingRef } from '../flow-settings';

/** `$('idleDelay')` reads as "the value of setting idleDelay" in preset definitions. */
export function $(setting: string): SettingRef {
  return { setting };
}

export function when(subject: Condition['subject'], path: string, op: Condition['op'], value?: Condition['value']): Condition {
  return value === undefined ? { subject, path, op } : { subject, path, op, value };
}
