import { describe, it, expect } from '@jest/globals';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import fc from 'fast-check';
import bodyParser from 'body-parser';
import iconv from 'iconv-lite';
import type { NextFunction } from 'express';
import { decodeUtf8, parseJson } from './lean-json-route.js';
import { inputGuard, jsonBodyProblem, type ProblemAnswer } from './input-guard.js';

/** What body-parser's JSON parser (as bootstrap.ts configures it) makes of a body: the value, or the error's message. */
function bodyParserJson(raw: Buffer): Promise<{ value: unknown } | { error: string }> {
  const parser = bodyParser.json({ limit: 1024 * 1024 });
  const socket = new Socket();
  socket.readable = true;
  const req = Object.assign(new IncomingMessage(socket), {
    headers: { 'content-type': 'application/json', 'content-length': String(raw.length) },
    complete: false,
  });
  req.push(raw);
  req.push(null);
  return new Promise((ok) =>
    parser(req, new ServerResponse(req), (e?: unknown) => ok(e ? { error: (e as Error).message } : { value: (req as { body?: unknown }).body })),
  );
}

function lean(raw: Buffer): { value: unknown } | { error: string } {
  try {
    return { value: parseJson(decodeUtf8(raw)) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** The input guard middleware's answer for a parsed JSON body: its problem, or undefined when it lets the request through. */
function guardAnswer(raw: Buffer, body: unknown): { code: string; detail: string } | undefined {
  let sent: { code: string; detail: string } | undefined;
  const res: ProblemAnswer = { status: () => res, type: () => res, send: (s: string) => void (sent = JSON.parse(s)) };
  let passed = false;
  inputGuard({ originalUrl: '/v1/x', path: '/v1/x', rawBody: raw, body }, res, (() => void (passed = true)) as NextFunction);
  return passed ? undefined : { code: sent!.code, detail: sent!.detail };
}

const jsonText = fc.oneof(
  fc.json(),
  fc.jsonValue().map((v) => JSON.stringify(v, null, 2)),
  fc.tuple(fc.constantFrom('', ' ', '\n\t ', '\r\n'), fc.json(), fc.constantFrom('', ' ', '\n', 'x', ',')).map(([a, j, b]) => `${a}${j}${b}`),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    'null',
    'true',
    '"x"',
    '12',
    '{',
    '[',
    '{"a":}',
    '{"a":1,}',
    '[1,]',
    '{"a":"\\u00"}',
    '{"a":"\\x"}',
    '\ufeff{}',
    '{"a":1}}',
    '  nope',
    '{"__proto__":{"x":1}}',
  ),
);

/** Nested objects and arrays up to 40 deep, strings with any code units (lone surrogates, NUL: JSON.stringify escapes them). */
const deep = fc.integer({ min: 0, max: 40 }).chain((levels) =>
  fc
    .tuple(
      fc.array(fc.boolean(), { minLength: levels, maxLength: levels }),
      fc.string({ unit: 'binary', maxLength: 8 }),
      fc.string({ unit: 'binary', maxLength: 4 }),
      fc.jsonValue({ maxDepth: 2 }),
    )
    .map(([arrays, value, key, sibling]) => {
      let v: unknown = value;
      for (const isArray of arrays) v = isArray ? [sibling, v] : { [key]: v, s: sibling };
      return v;
    }),
);

describe('the lean JSON route reads bodies as the framework pipeline does', () => {
  it('decodes UTF-8 as body-parser (iconv-lite) does: invalid sequences, BOM', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 64 }),
          fc.string({ unit: 'binary' }).map((s) => Buffer.from(`\ufeff${s}`)),
          fc.string().map((s) => Buffer.from(s)),
        ),
        (bytes) => {
          const raw = Buffer.from(bytes);
          expect(decodeUtf8(raw)).toBe(iconv.decode(raw, 'utf-8'));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('parses, and refuses with the same message, as body-parser json (strict) does', async () => {
    await fc.assert(
      fc.asyncProperty(jsonText, async (text) => {
        const raw = Buffer.from(text, 'utf8');
        if (raw.length === 0) return; // the lean route leaves empty bodies to Express
        expect(lean(raw)).toEqual(await bodyParserJson(raw));
      }),
      { numRuns: 1500 },
    );
  });

  it('finds the input guard’s problem (NUL, lone surrogate, nesting over 32) without walking bodies that cannot have one', () => {
    fc.assert(
      fc.property(deep, fc.boolean(), (value, pretty) => {
        const text = JSON.stringify(value, null, pretty ? 1 : 0);
        const raw = Buffer.from(text, 'utf8');
        const body = JSON.parse(text);
        expect(jsonBodyProblem(raw, text, body)).toEqual(guardAnswer(raw, body));
      }),
      { numRuns: 3000 },
    );
    const cases = [
      '{"a":"\\u0000"}',
      '{"a":"\\U0000"}',
      '{"a":"\\\\ud800"}',
      '{"\\udc00":1}',
      `${'['.repeat(33)}${']'.repeat(33)}`,
      `${'['.repeat(32)}${']'.repeat(32)}`,
      `{"a":"${'{'.repeat(40)}"}`,
    ];
    for (const text of cases) {
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        continue;
      }
      const raw = Buffer.from(text);
      expect([text, jsonBodyProblem(raw, text, body)]).toEqual([text, guardAnswer(raw, body)]);
    }
  });
});
