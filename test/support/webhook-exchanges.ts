import { createHash, createHmac } from 'node:crypto';
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';

/**
 * Raw deliveries to `POST /v1/webhooks/stripe/:companyId` covering every answer the endpoint gives
 * (and the requests the lean handler leaves to Express), recorded exactly as a client and the log
 * collector see them: status, raw response headers in order, body, and the log lines written.
 * Two apps answering the same list identically behave the same on this route.
 */
export interface Exchange {
  name: string;
  status: number;
  /** Raw header names and values in wire order, Date and Keep-Alive timing left out. */
  headers: [string, string][];
  body: string;
  /** Log lines written while the request was served, without time, pid, hostname and the duration's value. */
  logs: Record<string, unknown>[];
  /** Whether Express saw the request (only with ExchangeTarget.frameworkRequests). */
  framework?: boolean;
}

export interface ExchangeTarget {
  url: string;
  connected: string;
  unconnected: string;
  secret: string;
  /** Log lines written so far (pino JSON), read before and after each request. */
  logLines: () => string[];
  /** Requests Express has seen so far: each exchange then records whether it reached Express. */
  frameworkRequests?: () => number;
}

type Raw = { method?: string; path: string; headers?: Record<string, string | string[]>; body?: Buffer | string; chunked?: boolean };

const now = () => Math.floor(Date.now() / 1000);
const sign = (payload: Buffer | string, secret: string, t = now()) => `t=${t},v1=${createHmac('sha256', secret).update(`${t}.`).update(payload).digest('hex')}`;

const event = (id: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    id,
    object: 'event',
    type: 'invoice.paid',
    created: now(),
    api_version: '2025-01-27',
    livemode: false,
    data: {
      object: { id: `in_${id}`, object: 'invoice', amount_paid: 4900, currency: 'usd', customer: 'cus_EXCHANGE', customer_email: 'x@example.com', ...extra },
    },
  });

/** An event whose innermost object is `levels` containers deep (the body itself is level 1). */
const nested = (levels: number) =>
  `{"id":"evt_deep${levels}","object":"event","type":"invoice.paid","data":${'{"a":'.repeat(levels - 1)}1${'}'.repeat(levels - 1)}}`;

/** The requests, built fresh (timestamps are signed at call time). */
function cases(t: ExchangeTarget): [string, Raw][] {
  const path = `/v1/webhooks/stripe/${t.connected}`;
  const json = { 'content-type': 'application/json' };
  const signed = (body: string | Buffer, headers: Record<string, string> = json, secret = t.secret): Raw => ({
    method: 'POST',
    path,
    headers: { ...headers, 'stripe-signature': sign(body, secret) },
    body,
  });
  const valid = event('evt_exchange_valid');
  const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(event('evt_exchange_bom'))]);
  const badUtf8 = Buffer.concat([
    Buffer.from(event('evt_exchange_badutf8').slice(0, -2)),
    Buffer.from([0x2c, 0x22, 0x78, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0xff, 0x22, 0x7d, 0x7d]),
  ]);
  const stale = event('evt_exchange_stale');
  return [
    ['valid', signed(valid)],
    ['duplicate', signed(valid)],
    ['valid, charset=utf-8', signed(event('evt_exchange_charset'), { 'content-type': 'application/json; charset=utf-8' })],
    ['valid, Content-Type upper case', signed(event('evt_exchange_upper'), { 'content-type': 'Application/JSON; Charset=UTF-8' })],
    ['valid, pretty-printed', signed(JSON.stringify(JSON.parse(event('evt_exchange_pretty')), null, 2))],
    [
      'valid, second v1 matches',
      {
        method: 'POST',
        path,
        headers: {
          ...json,
          'stripe-signature': `${sign(event('evt_exchange_twov1'), 'whsec_other')},v1=${sign(event('evt_exchange_twov1'), t.secret).split('v1=')[1]}`,
        },
        body: event('evt_exchange_twov1'),
      },
    ],
    [
      'timestamp an hour ahead (refused)',
      {
        method: 'POST',
        path,
        headers: { ...json, 'stripe-signature': sign(event('evt_exchange_future'), t.secret, now() + 3600) },
        body: event('evt_exchange_future'),
      },
    ],
    ['forged', signed(event('evt_exchange_forged'), json, 'whsec_someone_else')],
    ['stale', { method: 'POST', path, headers: { ...json, 'stripe-signature': sign(stale, t.secret, now() - 301) }, body: stale }],
    ['no signature', { method: 'POST', path, headers: json, body: event('evt_exchange_nosig') }],
    ['empty signature', { method: 'POST', path, headers: { ...json, 'stripe-signature': '' }, body: event('evt_exchange_emptysig') }],
    ['signature t=1,v1=deadbeef', { method: 'POST', path, headers: { ...json, 'stripe-signature': 't=1,v1=deadbeef' }, body: event('evt_exchange_deadbeef') }],
    ['signature without t', { method: 'POST', path, headers: { ...json, 'stripe-signature': 'v1=abc' }, body: event('evt_exchange_not') }],
    ['signature without v1', { method: 'POST', path, headers: { ...json, 'stripe-signature': `t=${now()},v0=abc` }, body: event('evt_exchange_nov1') }],
    [
      'signature header twice',
      {
        method: 'POST',
        path,
        headers: { ...json, 'stripe-signature': [sign(event('evt_exchange_twice'), t.secret), sign(event('evt_exchange_twice'), t.secret)] },
        body: event('evt_exchange_twice'),
      },
    ],
    [
      'tampered body',
      {
        method: 'POST',
        path,
        headers: { ...json, 'stripe-signature': sign(event('evt_exchange_tamper'), t.secret) },
        body: event('evt_exchange_tamper', { amount_paid: 1 }),
      },
    ],
    ['unknown company', { ...signed(event('evt_exchange_unknown')), path: '/v1/webhooks/stripe/co_00000000000000000000000000000000' }],
    [
      'unknown company, bad signature',
      { method: 'POST', path: '/v1/webhooks/stripe/co_unknown', headers: { ...json, 'stripe-signature': 'nope' }, body: '{}' },
    ],
    ['company without Stripe', { ...signed(event('evt_exchange_unconnected')), path: `/v1/webhooks/stripe/${t.unconnected}` }],
    ['not JSON', signed('hello')],
    ['broken JSON', signed('{"id": "evt_1",')],
    ['only whitespace', signed('  \n ')],
    ['JSON null', signed('null')],
    ['JSON string', signed('"evt_1"')],
    ['JSON array', signed('[]')],
    ['JSON object, not an event', signed('{"hello":"world"}')],
    ['event id not evt_', signed(JSON.stringify({ id: 'not-an-event-id', object: 'event', type: 'invoice.paid', data: { object: {} } }))],
    ['event type too long', signed(JSON.stringify({ id: 'evt_exchange_longtype', object: 'event', type: 'x'.repeat(101), data: { object: {} } }))],
    ['object not event', signed(JSON.stringify({ id: 'evt_exchange_objnot', object: 'invoice', type: 'invoice.paid', data: { object: {} } }))],
    ['escaped NUL', signed('{"id":"evt_exchange_nul","object":"event","type":"invoice.paid","x":"a\\u0000b"}')],
    ['escaped NUL, capital U', signed('{"id":"evt_exchange_nul2","object":"event","type":"invoice.paid","x":"a\\U0000b"}')],
    ['escaped NUL, unknown company', { ...signed('{"x":"\\u0000"}'), path: '/v1/webhooks/stripe/co_unknown' }],
    ['raw NUL byte', signed(Buffer.from('{"id":"evt_exchange_nulbyte","object":"event","type":"invoice.paid","x":"a\u0000b"}'))],
    ['lone surrogate in a value', signed('{"id":"evt_exchange_sur","object":"event","type":"invoice.paid","x":"\\ud800"}')],
    ['lone surrogate in a key', signed('{"id":"evt_exchange_surk","object":"event","type":"invoice.paid","\\udfff":1}')],
    ['surrogate pair (valid)', signed(event('evt_exchange_pair', { description: '\\ud83d\\ude00 ok' }).replace('\\\\ud83d\\\\ude00', '\\ud83d\\ude00'))],
    ['escaped backslash before u-d800 (valid)', signed(event('evt_exchange_bsl', { description: '\\ud800' }))],
    ['nested 32 levels', signed(nested(32))],
    ['nested 33 levels', signed(nested(33))],
    ['nested 40 levels', signed(nested(40))],
    ['nested 33 levels, brackets inside strings only', signed(event('evt_exchange_brackets', { description: '{'.repeat(40) + '['.repeat(40) }))],
    ['BOM, signed with the BOM', signed(bom)],
    ['BOM, signed without the BOM', { method: 'POST', path, headers: { ...json, 'stripe-signature': sign(bom.subarray(3), t.secret) }, body: bom }],
    ['only a BOM', signed(Buffer.from([0xef, 0xbb, 0xbf]))],
    ['invalid UTF-8, signed over the bytes', signed(badUtf8)],
    [
      'invalid UTF-8, signed over the decoded text',
      { method: 'POST', path, headers: { ...json, 'stripe-signature': sign(badUtf8.toString('utf8'), t.secret) }, body: badUtf8 },
    ],
    ['text/plain', signed(event('evt_exchange_plain'), { 'content-type': 'text/plain' })],
    ['no Content-Type', signed(event('evt_exchange_noct'), {})],
    ['application/vnd+json', signed(event('evt_exchange_vnd'), { 'content-type': 'application/vnd.api+json' })],
    ['charset latin1', signed(event('evt_exchange_latin1'), { 'content-type': 'application/json; charset=latin1' })],
    ['charset utf-16', signed(event('evt_exchange_utf16'), { 'content-type': 'application/json; charset=utf-16' })],
    [
      'gzip',
      {
        method: 'POST',
        path,
        headers: { ...json, 'content-encoding': 'gzip', 'stripe-signature': sign(event('evt_exchange_gzip'), t.secret) },
        body: gzipSync(event('evt_exchange_gzip')),
      },
    ],
    ['identity encoding', signed(event('evt_exchange_identity'), { ...json, 'content-encoding': 'identity' })],
    ['chunked', { ...signed(event('evt_exchange_chunked')), chunked: true }],
    ['empty body', { method: 'POST', path, headers: { ...json, 'stripe-signature': sign('', t.secret) }, body: '' }],
    ['over 1 MB', signed(event('evt_exchange_big', { description: 'x'.repeat(1024 * 1024) }))],
    ['trailing slash', { ...signed(event('evt_exchange_slash')), path: `${path}/` }],
    ['upper-case path', { ...signed(event('evt_exchange_case')), path: path.toUpperCase().replace(t.connected.toUpperCase(), t.connected) }],
    ['query string', { ...signed(event('evt_exchange_query')), path: `${path}?x=1` }],
    ['percent-encoded id', { ...signed(event('evt_exchange_pct')), path: `/v1/webhooks/stripe/${encodeURIComponent(t.connected).replace('_', '%5F')}` }],
    ['%00 in the id', { ...signed(event('evt_exchange_pct00')), path: '/v1/webhooks/stripe/co%00x' }],
    ['GET', { method: 'GET', path }],
    ['PUT', { ...signed(event('evt_exchange_put')), method: 'PUT' }],
    ['authorization header is not logged', signed(event('evt_exchange_auth'), { ...json, authorization: 'Bearer op_secret_key_not_for_logs' })],
  ];
}

export async function exchanges(t: ExchangeTarget): Promise<Exchange[]> {
  const out: Exchange[] = [];
  for (const [name, raw] of cases(t)) {
    const before = t.logLines().length;
    const seen = t.frameworkRequests?.();
    const answer = await send(t.url, raw);
    await new Promise((ok) => setTimeout(ok, 20));
    // Only the lines the request itself writes: the background subscribers log on their own schedule.
    const logs = t
      .logLines()
      .slice(before)
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((e) => REQUEST_LINES.has(e.msg as string))
      .map(normalizeLog);
    // The body holds the run's company ids: an ETag is checked against the body here, then compared as a mark.
    const headers = answer.headers.map(([k, v]): [string, string] => [
      k,
      k.toLowerCase() === 'etag' ? (v === weakEtag(answer.body) ? 'W/"<of the body>"' : `${v} (not the body's)`) : v,
    ]);
    out.push({ name, ...answer, headers, logs, ...(seen === undefined ? {} : { framework: t.frameworkRequests!() > seen }) });
  }
  return out;
}

const REQUEST_LINES = new Set(['request', 'unhandled error', 'authentication failed']);

function normalizeLog(entry: Record<string, unknown>): Record<string, unknown> {
  const { time: _t, pid: _p, hostname: _h, ...rest } = entry;
  if (typeof rest.ms === 'number') rest.ms = 'number';
  if (rest.err && typeof rest.err === 'object') rest.err = { type: (rest.err as { type?: unknown }).type };
  return rest;
}

function send(base: string, raw: Raw): Promise<Omit<Exchange, 'name' | 'logs'>> {
  const url = new URL(base);
  const body = raw.body === undefined ? undefined : Buffer.isBuffer(raw.body) ? raw.body : Buffer.from(raw.body);
  const headers: Record<string, string | string[] | number> = { ...raw.headers };
  if (body !== undefined && !raw.chunked) headers['content-length'] = body.length;
  return new Promise((ok, fail) => {
    const req = request({ host: url.hostname, port: url.port, method: raw.method ?? 'POST', path: raw.path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const pairs: [string, string][] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) pairs.push([res.rawHeaders[i]!, res.rawHeaders[i + 1]!]);
        ok({ status: res.statusCode ?? 0, headers: pairs.filter(([k]) => !/^(date|keep-alive)$/i.test(k)), body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', fail);
    });
    req.on('error', fail);
    if (body !== undefined && raw.chunked) {
      req.write(body.subarray(0, 10));
      req.end(body.subarray(10));
    } else req.end(body);
  });
}

/** Express's weak ETag of a body (the `etag` package's): W/"<length in hex>-<base64 SHA-1, 27 characters>". */
export const weakEtag = (body: string) => {
  const buf = Buffer.from(body, 'utf8');
  return `W/"${buf.length.toString(16)}-${createHash('sha1').update(buf).digest('base64').substring(0, 27)}"`;
};
