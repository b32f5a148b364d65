import { higherIsBetter, lowerIsBetter, type Figure } from '../support/figure.js';
import { spawnWorker } from '../support/child.js';
import { createDatabase } from '../support/database.js';
import { settings } from '../support/settings.js';
import { perSecond } from '../support/stats.js';
import type { ReplayOutput } from './replay.worker.js';

const file = new URL('./replay.worker.js', import.meta.url);

/** Full rebuild of every projection over generated events, beside a raw sequential read of the table. */
export async function replayFigures(clusterUrl: string, log: (m: string) => void): Promise<Figure[]> {
  const databaseUrl = await createDatabase(clusterUrl, 'bench_replay');
  const worker = spawnWorker(file, 900_000);
  try {
    const out = await worker.call<ReplayOutput>('replay', { databaseUrl, events: settings.replayEvents, timeoutSeconds: settings.replayTimeoutSeconds });
    log(
      `replay: ${out.events} events generated in ${(out.generateMs / 1000).toFixed(1)} s; projections ${out.projections.join(', ')}; rebuild ${out.rebuildMs === null ? 'timed out' : `${(out.rebuildMs / 1000).toFixed(1)} s`}, ${out.replayed} replayed`,
    );
    if (out.failed.length) log(`replay: failed projections: ${out.failed.join('; ')}`);
    const million = out.events / 1_000_000;
    const goalSeconds = 30 * million;
    const rawRate = perSecond(out.events, out.rawReadMs);
    const rate = out.rebuildMs === null ? perSecond(out.replayed, settings.replayTimeoutSeconds * 1000) : perSecond(out.events, out.rebuildMs);
    const notes = [
      `${out.projections.length} projections`,
      out.rebuildMs === null
        ? `not done after ${settings.replayTimeoutSeconds} s: ${out.replayed.toLocaleString('en-US')} of ${out.events.toLocaleString('en-US')} replayed`
        : '',
      out.failed.length ? `failed: ${out.failed.join('; ')}` : '',
    ].filter(Boolean);
    return [
      lowerIsBetter({
        figure: `Full rebuild of all projections over ${out.events.toLocaleString('en-US')} events`,
        value: out.rebuildMs === null ? null : out.rebuildMs / 1000,
        unit: 's',
        baseline: { label: 'raw sequential read of es_events', value: out.rawReadMs / 1000 },
        goal: million === 1 ? '≤ 30 s' : `≤ ${goalSeconds.toFixed(1)} s (30 s per 1M)`,
        met: out.rebuildMs !== null && out.rebuildMs / 1000 <= goalSeconds && out.failed.length === 0,
        note: notes.join('; '),
      }),
      higherIsBetter({
        figure: 'Replay throughput',
        value: rate,
        unit: 'events/s',
        baseline: { label: 'raw sequential read', value: rawRate },
        goal: '≥ 50,000 events/s',
        met: out.rebuildMs !== null && rate >= 50_000 && out.failed.length === 0,
        note: out.rebuildMs === null ? 'lower bound: rebuild timed out' : undefined,
      }),
    ];
  } finally {
    await worker.stop();
  }
}
