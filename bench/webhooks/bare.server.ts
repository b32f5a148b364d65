import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { serverMain } from '../support/child.js';

/**
 * The baseline: what a webhook receiver costs with nothing but node:http, the signature check
 * and one INSERT per request. Same pool size as the app's event store.
 */
serverMain(async (input: { databaseUrl: string; secret: string }) => {
  const pool = new pg.Pool({ connectionString: input.databaseUrl, max: 20 });
  await pool.query(
    'create table if not exists bare_webhooks (event_id text primary key, type text not null, payload jsonb not null, received_at timestamptz not null default now())',
  );
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      if (!verify(raw, String(req.headers['stripe-signature'] ?? ''), input.secret)) {
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"bad signature"}');
        return;
      }
      const event = JSON.parse(raw) as { id: string; type: string };
      pool.query('insert into bare_webhooks (event_id, type, payload) values ($1, $2, $3) on conflict (event_id) do nothing', [event.id, event.type, raw]).then(
        () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}'),
        () => res.writeHead(500).end(),
      );
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((ok) => server.close(ok));
      await pool.end();
    },
  };
});

function verify(payload: string, header: string, secret: string): boolean {
  const parts = new Map(header.split(',').map((p) => p.split('=') as [string, string]));
  const t = Number(parts.get('t'));
  const v1 = parts.get('v1') ?? '';
  if (!Number.isFinite(t) || Math.abs(Date.now() / 1000 - t) > 300) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${payload}`, 'utf8').digest();
  const given = Buffer.from(v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
