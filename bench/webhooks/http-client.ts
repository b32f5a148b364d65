import { Agent, request } from 'node:http';

export const BENCH_OPERATOR_KEY = 'op_bench_key_0123456789abcdef';

export interface Reply {
  status: number;
  body: string;
}

/** A keep-alive HTTP client over node:http (one socket per concurrent request, reused). */
export class HttpClient {
  private readonly agent: Agent;
  constructor(
    private readonly base: string,
    sockets = 64,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
  }

  send(method: string, path: string, body?: string, headers: Record<string, string> = {}, timeoutMs = 0): Promise<Reply> {
    const url = new URL(path, this.base);
    return new Promise((ok, fail) => {
      const req = request(
        {
          hostname: url.hostname,
          port: url.port,
          path: url.pathname + url.search,
          method,
          agent: this.agent,
          headers: { ...(body !== undefined ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}), ...headers },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => ok({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', fail);
        },
      );
      req.on('error', fail);
      if (timeoutMs > 0) req.setTimeout(timeoutMs, () => req.destroy(new Error(`${method} ${path}: no answer within ${timeoutMs} ms`)));
      req.end(body);
    });
  }

  /** JSON call that must answer 2xx. */
  async json<T>(method: string, path: string, key: string, body?: object, timeoutMs = 0): Promise<T> {
    const reply = await this.send(method, path, body === undefined ? undefined : JSON.stringify(body), { authorization: `Bearer ${key}` }, timeoutMs);
    if (reply.status < 200 || reply.status > 299) throw new Error(`${method} ${path} answered ${reply.status}: ${reply.body.slice(0, 300)}`);
    return (reply.body ? JSON.parse(reply.body) : undefined) as T;
  }

  close(): void {
    this.agent.destroy();
  }
}
