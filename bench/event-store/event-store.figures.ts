import { higherIsBetter, type Figure } from '../support/figure.js';
import { spawnWorker, type Worker } from '../support/child.js';
import { createDatabase } from '../support/database.js';
import { settings } from '../support/settings.js';
import { percentile, perSecond } from '../support/stats.js';
import type { Contender, Slice } from './event-store.worker.js';

const file = new URL('./event-store.worker.js', import.meta.url);
const contenders: Contender[] = ['partnerflow', 'emmett', 'bare-pg'];
const SLICE = 500;
const BATCH = 100;

type Totals = { ms: number; count: number; latencies: number[] };

/**
 * The Postgres adapter, a bare pg INSERT loop and emmett-postgresql, each in its own process on its own
 * database of the same cluster. They take turns in slices of 500 appends, so a noisy neighbour
 * (the machine is shared) slows them alike; each rate is its appends over the time of its own slices.
 */
export async function eventStoreFigures(clusterUrl: string, log: (m: string) => void): Promise<Figure[]> {
  const workers = new Map<Contender, Worker>();
  try {
    for (const contender of contenders) {
      const worker = spawnWorker(file);
      workers.set(contender, worker);
      const url = await createDatabase(clusterUrl, `bench_es_${contender.replace('-', '_')}`);
      await worker.call('open', { contender, url, concurrency: settings.appendConcurrency });
    }
    const single = await interleave(workers, contenders, settings.appends, SLICE, 1, 0);
    const batches = Math.ceil(settings.readEvents / BATCH);
    const batched = await interleave(workers, ['partnerflow', 'emmett'], batches, 20, BATCH, settings.appends);
    const read = await workers.get('partnerflow')!.call<{ events: number; readMs: number; selectMs: number }>('read');
    for (const c of contenders)
      log(`event store ${c}: ${Math.round(rate(single.get(c)!))} appends/s, p99 ${percentile(single.get(c)!.latencies, 99).toFixed(1)} ms`);
    return figures(single, batched, read);
  } finally {
    await Promise.all([...workers.values()].map((w) => w.stop()));
  }
}

async function interleave(
  workers: Map<Contender, Worker>,
  who: Contender[],
  total: number,
  slice: number,
  size: number,
  offset: number,
): Promise<Map<Contender, Totals>> {
  const totals = new Map(who.map((c) => [c, { ms: 0, count: 0, latencies: [] as number[] }]));
  for (let from = 0; from < total; from += slice) {
    const count = Math.min(slice, total - from);
    for (const c of who) {
      const s = await workers.get(c)!.call<Slice>('appendSlice', { from: offset + from, count, size });
      const t = totals.get(c)!;
      t.ms += s.ms;
      t.count += count * size;
      t.latencies.push(...s.latencies);
    }
  }
  return totals;
}

const rate = (t: Totals) => perSecond(t.count, t.ms);

function figures(single: Map<Contender, Totals>, batched: Map<Contender, Totals>, read: { events: number; readMs: number; selectMs: number }): Figure[] {
  const [pf, emmett, bare] = contenders.map((c) => single.get(c)!);
  const p99 = (t: Totals) => `${percentile(t.latencies, 99).toFixed(1)} ms`;
  const append = `Event append rate (${settings.appendConcurrency} concurrent, 1 event per append, new stream)`;
  return [
    higherIsBetter({
      figure: append,
      value: rate(pf!),
      unit: 'appends/s',
      baseline: { label: 'emmett-postgresql 0.42', value: rate(emmett!) },
      goal: '≥ 1.5× emmett',
      met: rate(pf!) >= 1.5 * rate(emmett!),
      note: `p99 ${p99(pf!)}, emmett ${p99(emmett!)}`,
    }),
    higherIsBetter({
      figure: `${append} vs bare pg`,
      value: rate(pf!),
      unit: 'appends/s',
      baseline: { label: 'bare pg INSERT', value: rate(bare!) },
      note: `bare p99 ${p99(bare!)}`,
    }),
    higherIsBetter({
      figure: `Event append rate, ${BATCH} events per append`,
      value: rate(batched.get('partnerflow')!),
      unit: 'events/s',
      baseline: { label: 'emmett-postgresql 0.42', value: rate(batched.get('emmett')!) },
    }),
    higherIsBetter({
      figure: `Event read rate (readAll, pages of 1,000, ${read.events.toLocaleString('en-US')} events)`,
      value: perSecond(read.events, read.readMs),
      unit: 'events/s',
      baseline: { label: 'one bare SELECT', value: perSecond(read.events, read.selectMs) },
    }),
  ];
}
