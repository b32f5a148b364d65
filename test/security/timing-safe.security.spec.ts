import { describe, it, expect } from '@jest/globals';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { safeEqual } from '../../libs/crypto/secrets.js';
import { verifyStripeWebhook, WebhookSignatureError } from '../../libs/stripe/webhook-signature.js';
import { makeEvent, signWebhookPayload } from '../stripe-emulator/index.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) return sources(path);
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
  });
}

/** The body of `function name(` / `name(…) {` up to its closing brace at the same indentation. */
function body(source: string, name: string): string {
  const start = source.search(new RegExp(`(function\\s+${name}|\\s${name})\\s*\\(`));
  if (start < 0) throw new Error(`${name} not found`);
  const indent = /^\s*/.exec(source.slice(source.lastIndexOf('\n', start) + 1))![0];
  const end = source.indexOf(`\n${indent}}`, start);
  return source.slice(start, end);
}

const SECRET_NAME = /(secret|signature|apikey|operatorkey|password|passphrase|token)\w*/i.source;
const COMPARISON = new RegExp(`\\b\\w*${SECRET_NAME}(\\.\\w+|\\[[^\\]]+\\])*\\s*[!=]==?\\s*\\S|\\S\\s*[!=]==?\\s*[\\w.]*${SECRET_NAME}`, 'i');
/** A line comparing a secret-named value with a JS equality operator, other than a null/undefined/typeof/length check. */
const unsafeComparison = (line: string) =>
  !line.startsWith('//') &&
  !line.startsWith('*') &&
  COMPARISON.test(line) &&
  !/typeof |\.length\b|[!=]==?\s*(null|undefined)\b|(null|undefined)\s*[!=]==?/.test(line);

/**
 * A timing attack needs many samples under quiet conditions, so a timing measurement in a shared CI
 * run would be noise. Instead these tests read the code: every place that compares a secret a caller
 * supplies (API keys, the operator key, webhook signatures) must do it through a constant-time primitive,
 * and no secret-named value may meet `===`. The behavioural checks below prove the primitives are wired.
 */
describe('timing-safe comparison of keys and signatures', () => {
  const all = [...sources('src'), ...sources('libs')];

  it('safeEqual hashes both sides and compares the digests with crypto.timingSafeEqual (any lengths, never throws)', () => {
    const fn = body(read('libs/crypto/secrets.ts'), 'safeEqual');
    expect(fn).toMatch(/timingSafeEqual\(/);
    expect(fn).toMatch(/createHash\('sha256'\)/);
    expect(fn).not.toMatch(/[!=]==?/);
    expect([safeEqual('k', 'k'), safeEqual('k', 'K'), safeEqual('k', 'k'.repeat(1000)), safeEqual('', 'k')]).toEqual([true, false, false, false]);
  });

  it('the auth guard compares the operator key with safeEqual and finds other keys by their SHA-256 hash, never the key itself', () => {
    const guard = read('libs/http/auth.ts');
    const identify = body(guard, 'identify');
    expect(identify).toMatch(/safeEqual\(key, this\.operatorKey\)/);
    expect(identify).toMatch(/byHash\(hashApiKey\(key\)\)/);
    expect(identify).not.toMatch(/(key|operatorKey)\s*[!=]==?|[!=]==?\s*(key|this\.operatorKey)\b/);
  });

  it('every webhook endpoint verifies Stripe-Signature through a constant-time check', () => {
    const endpoints = all.filter((p) => /stripe-signature/i.test(read(p)) && /@Post\(/.test(read(p)));
    expect(endpoints.length).toBeGreaterThanOrEqual(2);
    const unsafe = endpoints.filter((p) => !/verifyStripeWebhook\(|webhooks\.signature!?\.verifyHeader\(|webhooks\.constructEvent(Async)?\(/.test(read(p)));
    expect(unsafe).toEqual([]);
    // Ours: HMAC digests compared with timingSafeEqual. The SDK's: secureCompare, which uses timingSafeEqual.
    expect(body(read('libs/stripe/webhook-signature.ts'), 'verifyStripeWebhook')).toMatch(/timingSafeEqual\(Buffer\.from\(s, 'hex'\), expected\)/);
    expect(read('node_modules/stripe/esm/Webhooks.js')).toMatch(/secureCompare\.bind\(platformFunctions, expectedSignature\)/);
    expect(body(read('node_modules/stripe/esm/platform/NodePlatformFunctions.js'), 'secureCompare')).toMatch(/crypto\.timingSafeEqual\(aEncoded, bEncoded\)/);
  });

  it('no source compares a secret-named value with ===, !==, == or != (except against null/undefined)', () => {
    // The scanner itself, on lines it must flag and lines it must let through.
    expect(
      ['if (signature === expected) {', 'return key.apiKey !== provided;', 'ok = a == this.operatorKey;', 'if (token != header) x();'].filter(unsafeComparison),
    ).toHaveLength(4);
    expect(
      [
        'if (r.webhook_secret_encrypted !== null)',
        'if (typeof signature === "string")',
        'signatures.length === 0',
        'if (e.data.apiKeyEncrypted != null)',
      ].filter(unsafeComparison),
    ).toEqual([]);
    const hits = all.flatMap((p) =>
      read(p)
        .split('\n')
        .map((line, i) => ({ at: `${p}:${i + 1}`, line: line.trim() }))
        .filter(({ line }) => unsafeComparison(line)),
    );
    expect(hits).toEqual([]);
  });

  it('the webhook check refuses a signature one hex digit off, and a v1 of another length, without throwing anything but its own error', () => {
    const payload = JSON.stringify(makeEvent('invoice.paid', { id: 'in_1', object: 'invoice' }, { eventId: 'evt_1' }));
    const header = signWebhookPayload(payload, 'whsec_t');
    const last = header.slice(-1);
    const off = `${header.slice(0, -1)}${last === '0' ? '1' : '0'}`;
    expect(() => verifyStripeWebhook(payload, off, 'whsec_t')).toThrow(new WebhookSignatureError('No signature matches the payload'));
    expect(() => verifyStripeWebhook(payload, `${header}00`, 'whsec_t')).toThrow(new WebhookSignatureError('No signature matches the payload'));
    expect(verifyStripeWebhook(payload, header, 'whsec_t').id).toBe('evt_1');
  });
});
