import request from 'supertest';
import type { RunningApp } from '../../src/bootstrap.js';
import type { Method } from './openapi.js';

/** A request as the fuzzers and matrices build it: raw body and content type, any headers. */
export interface Sent {
  method: Method;
  path: string;
  key?: string;
  contentType?: string;
  body?: string | Buffer;
  headers?: Record<string, string>;
}

export interface Answer {
  status: number;
  contentType: string;
  raw: Buffer;
  text: string;
  json: Record<string, unknown> | undefined;
}

export async function send(app: RunningApp, s: Sent): Promise<Answer> {
  let req = request(app.app.getHttpServer())[s.method](s.path);
  if (s.key) req = req.set('Authorization', `Bearer ${s.key}`);
  if (s.contentType) req = req.set('Content-Type', s.contentType);
  for (const [k, v] of Object.entries(s.headers ?? {})) req = req.set(k, v);
  const sent = s.body === undefined ? req : req.send(s.body);
  const res = await sent.buffer(true).parse((r, done) => {
    const chunks: Buffer[] = [];
    r.on('data', (c: Buffer) => chunks.push(c));
    r.on('end', () => done(null, Buffer.concat(chunks)));
  });
  const raw = res.body as Buffer;
  const text = raw.toString('utf8');
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, contentType: String(res.headers['content-type'] ?? ''), raw, text, json };
}

const preview = (b: string | Buffer | undefined) => {
  const t = b === undefined ? '' : b.toString();
  return t.length > 300 ? `${t.slice(0, 300)}… (${t.length} chars)` : t;
};

export const describeExchange = (s: Sent, a: Answer) =>
  `${s.method.toUpperCase()} ${s.path.length > 200 ? `${s.path.slice(0, 200)}…` : s.path} [${s.contentType ?? '-'}] ${preview(s.body)} → ${a.status} ${a.text.slice(0, 400)}`;

export class Finding extends Error {}

/** Never 5xx; an error is RFC 9457 problem+json whose `status` is the HTTP status. */
export function checkAnswer(s: Sent, a: Answer): void {
  const where = describeExchange(s, a);
  if (a.status >= 500) throw new Finding(`5xx: ${where}`);
  if (a.status >= 400) {
    if (!a.contentType.includes('application/problem+json')) throw new Finding(`error not problem+json: ${where}`);
    if (a.json?.status !== a.status || typeof a.json?.title !== 'string') throw new Finding(`problem status/title do not match: ${where}`);
  }
}
