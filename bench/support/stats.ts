/** Percentile by nearest rank over milliseconds. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export const elapsedMs = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e6;

export const perSecond = (count: number, ms: number): number => (count * 1000) / ms;

/** Run `task(i)` for i in [0, total) with at most `concurrency` in flight; answers each call's latency. */
export async function inParallel(total: number, concurrency: number, task: (i: number) => Promise<unknown>): Promise<{ ms: number; latencies: number[] }> {
  const latencies: number[] = new Array(total);
  let next = 0;
  const start = process.hrtime.bigint();
  const worker = async () => {
    while (next < total) {
      const i = next++;
      const t = process.hrtime.bigint();
      await task(i);
      latencies[i] = elapsedMs(t);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
  return { ms: elapsedMs(start), latencies };
}
