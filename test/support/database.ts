import pg from 'pg';
import { randomBytes } from 'node:crypto';

/** A fresh, empty database on the test cluster. */
export async function createTestDatabase(prefix = 'pf_test'): Promise<string> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error('TEST_DATABASE_URL is not set: run tests through `npm test` (jest globalSetup starts PostgreSQL)');
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}
