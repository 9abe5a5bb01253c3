import { z } from 'zod';
import { DEFAULT_LEAD_SCORE, type LeadScoreConfig } from '../lead-score';

/** A store's lead scoring: points per event kind (negative ones too), caps per group and period, half-life, "hot" threshold. */
export const LeadScoreSettings = z.strictObject({
  halfLifeDays: z.number().min(1).max(365),
  points: z.record(z.string().min(1).max(40), z.strictObject({ points: z.number().min(-1000).max(1000), group: z.string().min(1).max(40) })),
  caps: z.record(z.string().min(1).max(40), z.strictObject({ points: z.number().positive().max(10_000), periodDays: z.number().int().min(1).max(365) })),
  hotThreshold: z.number().positive().max(100_000),
});
export type LeadScoreSettings = z.infer<typeof LeadScoreSettings> & LeadScoreConfig;

export const DEFAULT_LEAD_SETTINGS: LeadScoreSettings = { ...DEFAULT_LEAD_SCORE, hotThreshold: 50 };

/** The stored settings, or the defaults when none were saved (or what was saved no longer reads). */
export function leadSettingsOf(stored: unknown): LeadScoreSettings {
  const parsed = LeadScoreSettings.safeParse(stored);
  return parsed.success ? parsed.data : DEFAULT_LEAD_SETTINGS;
}
