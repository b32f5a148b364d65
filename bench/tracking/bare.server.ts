import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { serverMain } from '../support/child.js';

/**
 * The baseline of a referral link: node:http answering the same 302 (landing URL + pf_ref) after one INSERT of the
 * click, with nothing else: no lookup, no dedup, no rate limit. Same pool size as the app's event store.
 */
serverMain(async (input: { databaseUrl: string; landingUrl: string }) => {
  const pool = new pg.Pool({ connectionString: input.databaseUrl, max: 20 });
  await pool.query(
    'create table if not exists bare_clicks (click_id text primary key, referral_key text not null, visitor text not null, at timestamptz not null default now())',
  );
  const server = createServer((req, res) => {
    const match = /^\/r\/([A-Za-z0-9_-]{1,64})$/.exec(req.url ?? '');
    if (!match) return void res.writeHead(404).end();
    const clickId = `clk_${randomBytes(16).toString('hex')}_1`;
    const visitor = createHash('sha256')
      .update(`${req.socket.remoteAddress}\n${req.headers['user-agent'] ?? ''}`)
      .digest('hex')
      .slice(0, 32);
    pool.query('insert into bare_clicks (click_id, referral_key, visitor) values ($1, $2, $3)', [clickId, match[1], visitor]).then(
      () => res.writeHead(302, { Location: `${input.landingUrl}?pf_ref=${clickId}`, 'Cache-Control': 'no-store', 'Content-Length': '0' }).end(),
      () => res.writeHead(500).end(),
    );
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
