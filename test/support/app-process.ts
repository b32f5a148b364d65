import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { OPERATOR_KEY, TEST_ENCRYPTION_KEY } from './app.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = join(ROOT, 'dist/src/main.js');
/** The advisory lock key of `PostgresLeaderLock` (libs/event-store/leader-lock.ts). */
export const LEADER_LOCK_KEY = 4_242_001;

function newest(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return readdirSync(path).reduce((m, name) => Math.max(m, newest(join(path, name))), s.mtimeMs);
}

/** `npm run build` unless dist/src/main.js is newer than every source, so suites in one run build once. */
export async function ensureBuilt(): Promise<void> {
  const sources = ['src', 'libs', 'tsconfig.json', 'tsconfig.build.json'].map((p) => join(ROOT, p)).filter(existsSync);
  if (existsSync(MAIN) && statSync(MAIN).mtimeMs > Math.max(...sources.map(newest))) return;
  const started = Date.now();
  // A type error elsewhere in the tree still emits JavaScript; what matters is a fresh main.js.
  await promisify(execFile)('npm', ['run', 'build'], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 }).catch(() => undefined);
  if (!existsSync(MAIN) || statSync(MAIN).mtimeMs < started - 1000) throw new Error('npm run build did not produce dist/src/main.js');
}

export const freePort = () =>
  new Promise<number>((ok) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => ok(port));
    });
  });

export interface AppProcess {
  /** Also its Postgres `application_name`, so `leaderOf()` can tell which process holds the lock. */
  name: string;
  child: ChildProcess;
  url: string;
  output(): string;
  /** SIGKILL (no shutdown hooks) or SIGTERM; resolves once the process is gone. */
  stop(signal?: 'SIGKILL' | 'SIGTERM'): Promise<void>;
}

/** The built app (`node dist/src/main.js`) as a real process on its own port; resolves when /health answers. */
export async function startAppProcess(name: string, databaseUrl: string, env: Record<string, string> = {}): Promise<AppProcess> {
  const port = await freePort();
  let output = '';
  const child = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      OPERATOR_API_KEY: OPERATOR_KEY,
      ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      LOG_LEVEL: 'warn',
      PGAPPNAME: name,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const gone = new Promise<void>((ok) => child.once('exit', () => ok()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${output}`);
    if (
      await fetch(`${url}/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    name,
    child,
    url,
    output: () => output,
    async stop(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await gone;
    },
  };
}

/** The application_name of the session holding the leader lock, or undefined; throws if two hold it. */
export async function leaderOf(db: pg.Client | pg.Pool): Promise<string | undefined> {
  const { rows } = await db.query<{ name: string }>(
    `select a.application_name as name from pg_locks l join pg_stat_activity a on a.pid = l.pid
     where l.locktype = 'advisory' and l.classid = 0 and l.objid = $1 and l.objsubid = 1 and l.granted`,
    [LEADER_LOCK_KEY],
  );
  if (rows.length > 1) throw new Error(`${rows.length} sessions hold the leader lock: ${rows.map((r) => r.name).join(', ')}`);
  return rows[0]?.name;
}

/** fetch with a key and JSON; never throws on a refused connection (status 0), so load can run into a kill. */
export async function call(url: string, method: string, path: string, key?: string, body?: unknown, headers: Record<string, string> = {}) {
  try {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { ...(key ? { Authorization: `Bearer ${key}` } : {}), ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, json, text };
  } catch {
    return { status: 0, json: undefined, text: '' };
  }
}
