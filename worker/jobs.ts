import { catalogReconcileJob } from './catalog/reconcile-job';
import { birthdayJob } from './contacts/runtime/birthday-job';
import { confirmationExpiryJob, eventRetentionJob } from './contacts/privacy/privacy-jobs';
import { reputationJob } from './deliverability/reputation-job';
import { hibernationJob } from './messaging/guardrails';
import { stuckSendsJob } from './messaging/email/stuck-sends';
import { ignoresPromotionsJob } from './segments/ignores-promotions';
import { MINUTE_CRON, siteTickJob } from './ingest/site-tick';
import type { ScheduledJob } from './scheduled';
import { resealSecretsJob } from './db/reseal-job';
import { segmentsNightlyJob } from './segments/dynamic/runs';
import { recommendationsJob } from './recommendations/refresh';
import { signupCouponRetryJob } from './widgets/coupon-retry';

/** Everything the cron trigger runs, each job independent of the others (see runScheduledJobs). */
export const JOBS: ScheduledJob[] = [
  reputationJob,
  hibernationJob,
  confirmationExpiryJob,
  eventRetentionJob,
  birthdayJob,
  ignoresPromotionsJob,
  resealSecretsJob,
  catalogReconcileJob,
  segmentsNightlyJob,
  recommendationsJob,
  signupCouponRetryJob,
];

/**
 * The minute trigger runs the site tick and the sweep of sends left without an answer (one indexed query when
 * there is none, and a crash then delays a message by minutes); every other trigger (the 15-minute one) runs JOBS.
 */
export function jobsFor(cron: string): ScheduledJob[] {
  return cron === MINUTE_CRON ? [siteTickJob, stuckSendsJob] : JOBS;
}
