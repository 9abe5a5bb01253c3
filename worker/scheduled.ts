/**
 * The cron entry point. Each job is independent and scoped by store inside; one failing job must
 * not stop the others, so failures are collected and rethrown together at the end (the run is
 * then reported as failed and retried by the next tick).
 */
export type ScheduledJob = { name: string; run: (env: Env, now: number) => Promise<void> };

export async function runScheduledJobs(jobs: ScheduledJob[], env: Env, now: number): Promise<void> {
  const results = await Promise.allSettled(jobs.map((job) => job.run(env, now)));
  const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [`${jobs[i]?.name}: ${String(r.reason)}`] : []));
  if (failed.length > 0) throw new Error(`scheduled jobs failed: ${failed.join('; ')}`);
}
