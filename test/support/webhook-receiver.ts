import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  path: string;
  headers: IncomingHttpHeaders;
  /** The raw body as sent (what the signature covers). */
  raw: string;
  body: { id: string; type: string; created: number; data: { object: Record<string, any> } };
  at: number;
}

/** How to answer a request: a status code, or 'hang' (never answer). */
export type Answer = number | 'hang';

/**
 * A real local HTTP server standing for a company's webhook receiver: records every request and answers with
 * `answer(request, index)` (default 200). Only ever on 127.0.0.1.
 */
export async function startWebhookReceiver(answer: (w: ReceivedWebhook, index: number) => Answer = () => 200) {
  const received: ReceivedWebhook[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: ReceivedWebhook['body'];
      try {
        body = JSON.parse(raw);
      } catch {
        body = { id: '', type: '', created: 0, data: { object: {} } };
      }
      const w: ReceivedWebhook = { path: req.url ?? '/', headers: req.headers, raw, body, at: Date.now() };
      received.push(w);
      const a = answer(w, received.length - 1);
      if (a === 'hang') return;
      res.writeHead(a, { 'Content-Type': 'text/plain' });
      res.end(a < 300 ? 'ok' : 'nope');
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    ofType: (type: string) => received.filter((w) => w.body.type === type),
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>;
