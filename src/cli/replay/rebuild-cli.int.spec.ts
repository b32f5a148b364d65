import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import pg from 'pg';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../../../libs/database/embedded-postgres.js';
import { rebuildCli } from './rebuild-cli.js';
import { startTestApp, newCompany, TEST_ENCRYPTION_KEY, type Api } from '../../../test/support/app.js';
import { createTestDatabase } from '../../../test/support/database.js';
import type { RunningApp } from '../../bootstrap.js';

async function run(args: string[], url: string, env: Record<string, string> = { DATABASE_URL: url }) {
  const lines: string[] = [];
  const code = await rebuildCli(args, { ...env, ENCRYPTION_KEY: TEST_ENCRYPTION_KEY, LOG_LEVEL: 'silent' }, { write: (s: string) => lines.push(s) });
  return { code, output: lines.join('') };
}

async function rows(url: string, table: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(`select * from ${table} order by id`)).rows;
  } finally {
    await client.end();
  }
}

describe('npm run rebuild', () => {
  let url: string;
  let app: RunningApp | undefined;
  let admin: Api;
  beforeAll(async () => {
    url = await createTestDatabase();
    app = await startTestApp({ DATABASE_URL: url });
    ({ admin } = await newCompany(app, { name: 'Cli Co' }));
    const partner = (await admin.post('/v1/partners', { name: 'P', email: 'p@cli.example', currency: 'usd' }).expect(201)).body;
    for (let i = 0; i < 5; i++)
      await admin.post('/v1/leads', { partnerId: partner.id, email: `l${i}@cli.example`, stripeCustomerId: `cus_CLI${i}` }).expect(201);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('rebuilds every projection beside a running server: exit 0, progress shown, same read models', async () => {
    const leads = await rows(url, 'leads');
    const partners = await rows(url, 'partners');
    const { code, output } = await run([], url);
    expect(code).toBe(0);
    expect(output).toMatch(/rebuilding .*companies.*leads/);
    expect(output).toMatch(/\[#+\] 100\.0% {2}\d+\/\d+ events {2}[\d,]+ events\/s {2}ETA/);
    expect(output).toMatch(/leads\s+running/);
    expect(output).toMatch(/done in [\d.]+ s/);
    expect(await rows(url, 'leads')).toEqual(leads);
    expect(await rows(url, 'partners')).toEqual(partners);
    expect((await admin.get('/v1/leads').expect(200)).body.data).toHaveLength(5);
  });

  it('rebuilds named projections; an unknown name exits 1 and touches nothing', async () => {
    expect((await run(['leads'], url)).code).toBe(0);
    const unknown = await run(['leads', 'nope'], url);
    expect(unknown.code).toBe(1);
    expect(unknown.output).toContain('unknown projection nope; known: ');
    expect((await run(['--help'], url)).output).toContain('Usage: npm run rebuild');
  });

  it('exits 1 naming the event when a projection fails on one', async () => {
    await app!.close();
    app = undefined;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(
      `insert into es_events (stream_id, version, type, data) values ('lead-broken-1', 1, 'LeadCreated', '{"leadId":"broken","companyId":"broken"}')`,
    );
    await client.end();
    const { code, output } = await run(['leads'], url);
    expect(code).toBe(1);
    expect(output).toMatch(/leads\s+failed\s+event \d+ \(LeadCreated in lead-broken-1\): .*null value/);
  });

  it('exits 1 with a clear message when it cannot start', async () => {
    const { code, output } = await run([], 'mysql://nope');
    expect(code).toBe(1);
    expect(output).toContain('DATABASE_URL');
    expect((await run([], (await createTestDatabase()).replace(/\/\/[^@]+@[^/]+\//, '//postgres:postgres@127.0.0.1:1/'))).code).toBe(1);
  });

  it('uses the embedded PostgreSQL a server runs on DATA_DIR, and leaves it running', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pf-cli-'));
    const server = await startEmbeddedPostgres({ dataDir });
    try {
      const { code } = await run([], '', { DATA_DIR: dataDir });
      expect(code).toBe(0);
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      const { rows: done } = await client.query(`select count(*)::int as n from es_checkpoints where status = 'running'`);
      await client.end();
      expect(done[0].n).toBeGreaterThan(3);
    } finally {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
