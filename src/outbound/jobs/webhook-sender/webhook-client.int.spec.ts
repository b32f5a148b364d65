import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebhookClient } from './webhook-client.js';
import type { Resolve } from './safe-lookup.js';

/** A loopback server that counts the connections it gets: a refused delivery must not even connect. */
describe('WebhookClient (SSRF guard, timeout, limits) against a real local server', () => {
  let server: Server;
  let port: number;
  let connections = 0;
  const requests: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push(req.url ?? '');
      if (req.url === '/hang') return;
      if (req.url === '/redirect') return void res.writeHead(302, { Location: '/target' }).end();
      if (req.url === '/big') return void res.writeHead(200).end('x'.repeat(1024 * 1024));
      res.writeHead(204).end();
    });
    server.on('connection', () => connections++);
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((ok) => (server.closeAllConnections(), server.close(() => ok()))));

  const dns =
    (answers: Record<string, string[]>): Resolve =>
    async (host) =>
      (answers[host] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

  it('refuses, without connecting, a host that resolves (now) to loopback: the checked address is the one connected to', async () => {
    const before = connections;
    const client = new WebhookClient(false, dns({ 'rebind.acme.test': ['127.0.0.1'], 'mixed.acme.test': ['93.184.216.34', '127.0.0.1'] }));
    for (const host of ['rebind.acme.test', 'mixed.acme.test']) {
      const r = await client.post(`https://${host}:${port}/x`, '{}', {});
      expect(r).toMatchObject({ statusCode: null, error: expect.stringContaining('refused: ') });
      expect(r.error).toMatch(/private, loopback, link-local or metadata address \(127\.0\.0\.1 is a loopback address\)/);
    }
    const literal = await client.post(`https://127.0.0.1:${port}/x`, '{}', {});
    expect(literal.error).toBe('url must not point to a private, loopback, link-local or metadata address (127.0.0.1 is a loopback address)');
    expect((await client.post(`http://rebind.acme.test:${port}/x`, '{}', {})).error).toBe('url must use https');
    const unknown = await client.post(`https://nowhere.acme.test:${port}/x`, '{}', {});
    expect(unknown.error).toMatch(/nowhere\.acme\.test does not resolve/);
    expect(connections).toBe(before);
    client.close();
  });

  it('with private addresses allowed: posts, does not follow redirects, reads at most 4 KiB of the answer', async () => {
    const client = new WebhookClient(true);
    const ok = await client.post(`http://127.0.0.1:${port}/ok`, '{"a":1}', { 'X-Test': '1' });
    expect(ok).toMatchObject({ statusCode: 204, error: null });
    expect(ok.durationMs).toBeGreaterThanOrEqual(0);
    const redirect = await client.post(`http://127.0.0.1:${port}/redirect`, '{}', {});
    expect(redirect).toMatchObject({ statusCode: 302, error: 'answered 302' });
    expect(requests.filter((u) => u === '/target')).toEqual([]);
    const big = await client.post(`http://127.0.0.1:${port}/big`, '{}', {});
    expect(big.statusCode).toBe(200);
    expect(big.body.length).toBeLessThanOrEqual(4096);
    client.close();
  });

  it('gives up on a receiver that does not answer within the timeout', async () => {
    const client = new WebhookClient(true, undefined, 4, 300);
    const started = Date.now();
    const r = await client.post(`http://127.0.0.1:${port}/hang`, '{}', {});
    expect(r).toMatchObject({ statusCode: null, error: 'no answer within 0.3 s' });
    expect(Date.now() - started).toBeLessThan(2_000);
    client.close();
  });
});
