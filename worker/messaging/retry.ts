/**
 * HTTP retries shared by the provider clients: exponential backoff with full jitter on 429, 5xx,
 * network errors and timeouts; any other status is final. Sleep, randomness and fetch are
 * injected so tests run without waiting and against local fakes.
 */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export type RetryPolicy = {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  timeoutMs: number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
};

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  timeoutMs: 15_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

export type HttpOutcome =
  | { kind: 'response'; response: Response; attempts: number }
  | { kind: 'network'; error: string; attempts: number };

export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/** Full jitter: a uniform delay in [0, min(cap, base·2^n)), or the server's Retry-After when larger. */
export function backoffDelay(policy: RetryPolicy, retryIndex: number, retryAfterSeconds?: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retryIndex);
  const jittered = Math.floor(policy.random() * ceiling);
  const hinted = retryAfterSeconds !== undefined ? Math.min(policy.maxDelayMs, retryAfterSeconds * 1000) : 0;
  return Math.max(jittered, hinted);
}

function retryAfter(response: Response): number | undefined {
  const value = Number(response.headers.get('Retry-After'));
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

/**
 * `retryNetworkErrors: false` for requests that are not idempotent (a send): a timeout or a dropped
 * connection may come after the provider accepted the request, so it is reported, not repeated.
 */
export async function fetchWithRetry(
  fetcher: FetchLike,
  url: string,
  init: RequestInit,
  policy: RetryPolicy,
  { retryNetworkErrors = true }: { retryNetworkErrors?: boolean } = {},
): Promise<HttpOutcome> {
  let outcome: HttpOutcome = { kind: 'network', error: 'not attempted', attempts: 0 };
  for (let attempt = 1; attempt <= policy.maxAttempts; attempt++) {
    let hint: number | undefined;
    try {
      const response = await fetcher(url, { ...init, signal: AbortSignal.timeout(policy.timeoutMs) });
      outcome = { kind: 'response', response, attempts: attempt };
      if (!isRetryableStatus(response.status)) return outcome;
      hint = retryAfter(response);
    } catch (err) {
      outcome = { kind: 'network', error: err instanceof Error ? `${err.name}: ${err.message}` : String(err), attempts: attempt };
      if (!retryNetworkErrors) return outcome;
    }
    if (attempt < policy.maxAttempts) {
      if (outcome.kind === 'response') await outcome.response.body?.cancel();
      await policy.sleep(backoffDelay(policy, attempt - 1, hint));
    }
  }
  return outcome;
}
