import http from 'node:http';
import https from 'node:https';
import { endpointUrlProblem, ipLiteral } from '../../domain/endpoint-url.js';
import { blockedAddress } from '../../domain/address-policy.js';
import { safeLookup, systemResolve, type Resolve } from './safe-lookup.js';

/** Deliveries get this long from connecting to the end of the (limited) response. */
export const DELIVERY_TIMEOUT_MS = 10_000;
/** Of a receiver's answer only this much is read: its status code is what counts. */
export const RESPONSE_BODY_LIMIT = 4 * 1024;

export interface PostResult {
  /** null when no answer came (refused address, connection error, timeout). */
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  /** The first bytes of the answer, for the log line. */
  body: string;
}

/**
 * POSTs webhook deliveries. Redirects are not followed (a 3xx is a failed delivery); http and private addresses
 * only with `allowPrivate` (WEBHOOK_ALLOW_PRIVATE, local receivers). Connections are kept alive per host, at
 * most `socketsPerHost` at once.
 */
export class WebhookClient {
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;

  constructor(
    private readonly allowPrivate: boolean,
    resolve: Resolve = systemResolve,
    socketsPerHost = 16,
    private readonly timeoutMs = DELIVERY_TIMEOUT_MS,
  ) {
    const options = { keepAlive: true, maxSockets: socketsPerHost, maxFreeSockets: socketsPerHost, ...(allowPrivate ? {} : { lookup: safeLookup(resolve) }) };
    this.httpAgent = new http.Agent(options);
    this.httpsAgent = new https.Agent(options);
  }

  post(target: string, body: string, headers: Record<string, string>): Promise<PostResult> {
    const started = performance.now();
    const done = (statusCode: number | null, error: string | null, answer = ''): PostResult => ({
      statusCode,
      error,
      durationMs: Math.round(performance.now() - started),
      body: answer,
    });
    const problem = endpointUrlProblem(target, this.allowPrivate);
    if (problem) return Promise.resolve(done(null, problem));
    const url = new URL(target);
    const literal = ipLiteral(url.hostname);
    const blocked = literal && !this.allowPrivate ? blockedAddress(literal) : undefined;
    if (blocked) return Promise.resolve(done(null, `refused: ${blocked}`));
    const transport = url.protocol === 'https:' ? https : http;
    return new Promise((resolve) => {
      let settled = false;
      const finish = (r: PostResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(r);
      };
      const req = transport.request(url, {
        method: 'POST',
        agent: url.protocol === 'https:' ? this.httpsAgent : this.httpAgent,
        headers: {
          'Content-Type': 'application/json; charset=utf-8',
          'Content-Length': String(Buffer.byteLength(body)),
          'User-Agent': 'Partnerflow-Webhooks/1',
          ...headers,
        },
      });
      const timer = setTimeout(() => {
        req.destroy(new Error(`no answer within ${this.timeoutMs / 1000} s`));
      }, this.timeoutMs);
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const end = () => {
          const answer = Buffer.concat(chunks).toString('utf8').slice(0, RESPONSE_BODY_LIMIT);
          const code = res.statusCode ?? null;
          finish(done(code, code !== null && code >= 200 && code < 300 ? null : `answered ${code}`, answer));
        };
        res.on('data', (chunk: Buffer) => {
          if (size >= RESPONSE_BODY_LIMIT) return;
          chunks.push(chunk);
          size += chunk.length;
          // enough read: the rest is not wanted, and the connection is not reused
          if (size >= RESPONSE_BODY_LIMIT) {
            end();
            res.destroy();
          }
        });
        res.on('end', end);
        res.on('error', end);
        res.on('aborted', end);
      });
      req.on('error', (e: NodeJS.ErrnoException) =>
        finish(done(null, e.code === 'UNSAFE_ADDRESS' ? `refused: ${e.message}` : e.message || e.code || 'connection failed')),
      );
      req.end(body);
    });
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}
