import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startEmbeddedPostgres } from '../../libs/database/embedded-postgres.js';
import { lowerIsBetter, type Figure } from '../support/figure.js';
import { HttpClient } from '../webhooks/http-client.js';

const main = new URL('../../src/main.js', import.meta.url);

/**
 * `node dist/src/main.js` with no DATABASE_URL and a fresh DATA_DIR (initdb, migrations) until
 * `/health` answers 200, then again on the same directory; beside the embedded PostgreSQL alone
 * started the same two ways, the floor of both.
 */
export async function startupFigures(_clusterUrl: string, log: (m: string) => void): Promise<Figure[]> {
  const appDir = mkdtempSync(join(tmpdir(), 'pf-bench-start-'));
  const pgDir = mkdtempSync(join(tmpdir(), 'pf-bench-pg-'));
  try {
    const cold = await timeToHealthy(appDir, log);
    const warm = await timeToHealthy(appDir, log);
    const pgCold = await timePostgres(pgDir);
    const pgWarm = await timePostgres(pgDir);
    log(`start: cold ${cold} ms, warm ${warm} ms; embedded PostgreSQL alone ${pgCold} ms, ${pgWarm} ms`);
    return [
      lowerIsBetter({
        figure: 'Cold start: fresh DATA_DIR to /health 200',
        value: cold / 1000,
        unit: 's',
        baseline: { label: 'embedded PostgreSQL initdb + start', value: pgCold / 1000 },
        goal: '≤ 5 s',
        met: cold <= 5000,
      }),
      lowerIsBetter({
        figure: 'Warm start: existing DATA_DIR to /health 200',
        value: warm / 1000,
        unit: 's',
        baseline: { label: 'embedded PostgreSQL start', value: pgWarm / 1000 },
      }),
    ];
  } finally {
    rmSync(appDir, { recursive: true, force: true });
    rmSync(pgDir, { recursive: true, force: true });
  }
}

async function timeToHealthy(dataDir: string, onStop: (problem: string) => void): Promise<number> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  delete env.EVENTSTORE_URL;
  delete env.BACKGROUND_JOBS;
  const start = performance.now();
  const child = spawn(process.execPath, [main.pathname], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr = (stderr + c.toString('utf8')).slice(0, 8000)));
  const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
  const client = new HttpClient(`http://127.0.0.1:${port}`, 1);
  try {
    while (performance.now() - start < 60_000) {
      if (child.exitCode !== null) throw new Error(`main.js exited with ${child.exitCode} before /health answered: ${stderr.slice(0, 500)}`);
      const reply = await client.send('GET', '/health').catch(() => null);
      if (reply?.status === 200) return Math.round(performance.now() - start);
      await new Promise((ok) => setTimeout(ok, 20));
    }
    throw new Error('/health did not answer 200 within 60 s');
  } finally {
    client.close();
    child.kill('SIGTERM');
    const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const code = await exited;
    clearTimeout(kill);
    if (code !== 0) onStop(`main.js exited with ${code} on SIGTERM: ${stderr.split('\n').find((l) => /^\w*error:/i.test(l)) ?? stderr.slice(-200)}`);
  }
}

async function timePostgres(dataDir: string): Promise<number> {
  const start = performance.now();
  const pg = await startEmbeddedPostgres({ dataDir });
  const ms = Math.round(performance.now() - start);
  await pg.stop();
  return ms;
}
