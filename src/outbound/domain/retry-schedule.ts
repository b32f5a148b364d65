/** SPEC §12: deliveries are retried for up to 3 days; then the endpoint is disabled. */
export const RETRY_WINDOW_MS = 3 * 24 * 3_600_000;
/** No wait between two attempts is longer than this, so the last attempts still land inside the window. */
export const MAX_RETRY_DELAY_MS = 6 * 3_600_000;

/**
 * When to try again after failed attempt number `attempts` (1 = the first): `base` doubled per attempt, capped,
 * with "equal jitter" (half fixed, half random) so many failed deliveries do not come back all at once.
 * Answers undefined once the next try would fall after the window opened by the first attempt.
 */
export function nextAttemptAt(firstAttemptAt: Date, now: Date, attempts: number, baseMs: number, random: () => number = Math.random): Date | undefined {
  const exponential = Math.min(MAX_RETRY_DELAY_MS, baseMs * 2 ** Math.min(attempts - 1, 30));
  const delay = exponential / 2 + random() * (exponential / 2);
  const next = new Date(now.getTime() + delay);
  return next.getTime() - firstAttemptAt.getTime() > RETRY_WINDOW_MS ? undefined : next;
}
