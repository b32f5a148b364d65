/** Retries `probe` until it stops throwing (e.g. its expect() passes) or the deadline passes, then rethrows its last error. */
export async function eventually<T>(probe: () => Promise<T>, { timeoutMs = 20_000, intervalMs = 50 } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await probe();
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((ok) => setTimeout(ok, intervalMs));
    }
  }
}
