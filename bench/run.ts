import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { startEmbeddedPostgres } from '../libs/database/embedded-postgres.js';
import { markdownTable, unavailable, type Figure } from './support/figure.js';
import { settings } from './support/settings.js';
import { eventStoreFigures } from './event-store/event-store.figures.js';
import { webhookFigures } from './webhooks/webhooks.figures.js';
import { replayFigures } from './replay/replay.figures.js';
import { invoiceRunFigures } from './invoicing/invoice-run.figures.js';
import { startupFigures } from './startup/startup.figures.js';
import { consoleFigures } from './console/console.figures.js';
import { outboundFigures } from './outbound/outbound.figures.js';
import { trackingFigures } from './tracking/tracking.figures.js';

type Stage = { name: string; run: (clusterUrl: string, log: (m: string) => void) => Promise<Figure[]> };

const stages: Stage[] = [
  { name: 'event-store', run: eventStoreFigures },
  { name: 'webhooks', run: webhookFigures },
  { name: 'startup', run: startupFigures },
  { name: 'invoicing', run: invoiceRunFigures },
  { name: 'replay', run: replayFigures },
  { name: 'console', run: consoleFigures },
  { name: 'outbound', run: outboundFigures },
  { name: 'tracking', run: trackingFigures },
];

/** BENCH_ONLY=event-store,webhooks runs some stages only. */
const only = (process.env.BENCH_ONLY ?? '').split(',').filter(Boolean);
const log = (m: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${m}\n`);

const started = Date.now();
log(`scale ${settings.scale}; ${cpus().length} cores; node ${process.version}`);
const postgres = await startEmbeddedPostgres({ database: 'bench' });
const figures: Figure[] = [];
try {
  for (const stage of stages) {
    if (only.length && !only.includes(stage.name)) continue;
    log(`stage ${stage.name}`);
    try {
      figures.push(...(await stage.run(postgres.url, log)));
    } catch (e) {
      log(`stage ${stage.name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      figures.push(unavailable(stage.name, `failed: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]!.slice(0, 120)}`));
    }
  }
} finally {
  await postgres.stop();
}

const header = [
  `Partnerflow bench, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
  `machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), node ${process.version}, BENCH_SCALE=${settings.scale}, took ${Math.round((Date.now() - started) / 1000)} s`,
  'ratio: above 1 means better than the baseline; goals from issues 3, 4, 6, 8, 9, 17.',
].join('\n\n');
const markdown = `${header}\n\n${markdownTable(figures)}\n`;
process.stdout.write(markdown);
mkdirSync(new URL('../../bench/results/', import.meta.url), { recursive: true });
writeFileSync(new URL('../../bench/results/latest.md', import.meta.url), markdown);
