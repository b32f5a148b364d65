import { loadConfig, ConfigError } from '../../../libs/config/config.js';
import { START } from '../../../libs/event-store/event-store.port.js';
import { createLogger } from '../../../libs/logging/logger.js';
import { openReplay } from './open-replay.js';
import { ReplayProgress } from './progress.js';

type Out = { write(s: string): unknown; isTTY?: boolean };

const usage = `Usage: npm run rebuild -- [projection ...]
Truncates the named read models (all when none is named) and replays them from the first event.
Uses DATABASE_URL, or the embedded PostgreSQL in DATA_DIR (beside a running server if there is one).
Exit code 0 when every projection is rebuilt, 1 when one failed or the rebuild could not run.`;

/** `npm run rebuild`: boots without HTTP, rebuilds, prints progress and the result; answers the exit code. */
export async function rebuildCli(args: string[], env: Record<string, string | undefined>, out: Out): Promise<number> {
  if (args.some((a) => a === '--help' || a === '-h')) {
    out.write(`${usage}\n`);
    return 0;
  }
  let progress: ReplayProgress | undefined;
  let replay;
  try {
    replay = await openReplay(loadConfig(env, { serving: false }), createLogger(env.LOG_LEVEL ?? 'warn'), { onBatch: (name, n) => progress?.add(name, n) });
  } catch (e) {
    out.write(`rebuild: ${e instanceof ConfigError ? e.message : `could not start: ${(e as Error).message}`}\n`);
    return 1;
  }
  try {
    const { runner, store } = replay;
    const known = runner.projectionNames();
    const names = args.length ? [...new Set(args)] : known;
    const unknown = names.filter((n) => !known.includes(n));
    if (unknown.length) {
      out.write(`rebuild: unknown projection ${unknown.join(', ')}; known: ${known.join(', ')}\n`);
      return 1;
    }
    const total = await store.countAfter(START);
    out.write(`rebuilding ${names.join(', ')} from ${total.toLocaleString('en-US')} events\n`);
    progress = new ReplayProgress(out, total, names);
    await runner.rebuild(names);
    await runner.start({ kinds: ['projection'], names });
    const statuses = await runner.whenRebuilt(names);
    const ms = progress.finish(statuses.every((s) => s.status === 'running'));
    for (const s of statuses) out.write(`${s.name.padEnd(24)} ${s.status.padEnd(10)} ${s.status === 'failed' ? s.lastError : ''}\n`);
    out.write(`done in ${(ms / 1000).toFixed(1)} s (${Math.round((total / Math.max(ms, 1)) * 1000).toLocaleString('en-US')} events/s)\n`);
    return statuses.every((s) => s.status === 'running') ? 0 : 1;
  } catch (e) {
    out.write(`\nrebuild failed: ${(e as Error).message}\n`);
    return 1;
  } finally {
    await replay.close();
  }
}
