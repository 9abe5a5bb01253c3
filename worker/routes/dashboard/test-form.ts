import { z } from 'zod';
import type { DashboardCopy } from '../../dashboard/copy';
import { parseDuration } from '../../dashboard/i18n/duration';
import { START_SLOTS, type StartTestState } from '../../dashboard/views/flow-experiments';
import type { ChallengerStep, SequenceTest } from '../../experiments/sequence-test';
import type { FormFields } from './context';

export const StartTestHead = z.object({
  version: z.coerce.number().int().min(1),
  experiment: z.string().trim().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/),
  weightA: z.coerce.number().int().min(1).max(99),
});
export type StartTestHead = z.infer<typeof StartTestHead>;

export type StartTestForm = { ok: true; test: SequenceTest; expectedVersion: number } | { ok: false; state: StartTestState };

/** Branch B's steps as the owner filled the slots: a slot with no step is skipped, an empty delay means none. */
function challengerSteps(form: FormFields, t: DashboardCopy, errors: StartTestState['errors']): ChallengerStep[] {
  const steps: ChallengerStep[] = [];
  for (let n = 1; n <= START_SLOTS; n++) {
    const stepId = form[`step${n}`]?.trim();
    if (!stepId) continue;
    const raw = form[`wait${n}`]?.trim() || '0 s';
    const wait = parseDuration(raw);
    if (wait.ok) steps.push({ stepId, waitBefore: wait.value });
    else errors[`wait${n}`] = [t.flows.field.duration[wait.problem]];
  }
  if (steps.length === 0 && Object.keys(errors).length === 0) errors.steps = [t.results.start.noSteps];
  return steps;
}

/** The start form as the test startSequenceTest builds, or the fields refused in the admin's words. */
export function sequenceTestFromForm(form: FormFields, t: DashboardCopy, usedNames: string[]): StartTestForm {
  const errors: StartTestState['errors'] = {};
  const head = StartTestHead.safeParse(form);
  if (head.success && usedNames.includes(head.data.experiment)) errors.experiment = [t.results.start.usedName];
  if (!head.success) {
    for (const issue of head.error.issues) {
      const field = String(issue.path[0]);
      errors[field] = [field === 'weightA' ? t.results.start.badWeight : field === 'experiment' ? t.results.start.badName : t.errors.conflict];
    }
  }
  const steps = challengerSteps(form, t, errors);
  if (!head.success || Object.keys(errors).length > 0) return { ok: false, state: { values: form, errors } };
  const { experiment, weightA, version } = head.data;
  return { ok: true, test: { experiment, steps, weights: [weightA, 100 - weightA] }, expectedVersion: version };
}
