import { describe, it, expect } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveConsole, stripeJsOrigins, withConsoleConfig } from './console-static.js';

describe('serving the console', () => {
  it('writes the page’s configuration into one meta tag, escaped so no value can close the attribute', () => {
    const stripeJsUrl = 'https://js.example/v3/?"><script>alert(1)</script>&x';
    const html = withConsoleConfig('<html><head><title>x</title></head><body></body></html>', { stripeJsUrl, stripePublishableKey: undefined });
    expect(html).not.toContain('<script>');
    const content = /<meta name="partnerflow-config" content="([^"]*)">/.exec(html)![1]!;
    expect(JSON.parse(content.replaceAll('&quot;', '"').replaceAll('&lt;', '<').replaceAll('&amp;', '&'))).toEqual({ stripeJsUrl, stripePublishableKey: null });
    expect(html.indexOf('partnerflow-config')).toBeLessThan(html.indexOf('</head>'));
  });

  it('serves nothing (and says so) when the console has not been built', () => {
    const used: unknown[] = [];
    const app = { use: (...args: unknown[]) => used.push(args) };
    expect(serveConsole(app, { stripeJsUrl: 'https://js.stripe.com/v3/' }, join(mkdtempSync(join(tmpdir(), 'pf-no-console-')), 'dist'))).toBe(false);
    expect(used).toEqual([]);
  });

  it('lets the Content-Security-Policy allow Stripe.js (script, API, card frames) or a stand-in’s own origin', () => {
    expect(stripeJsOrigins({ stripeJsUrl: 'https://js.stripe.com/v3/' })).toEqual({
      scriptOrigins: ['https://js.stripe.com'],
      connectOrigins: ['https://api.stripe.com'],
      frameOrigins: ['https://js.stripe.com', 'https://hooks.stripe.com'],
    });
    expect(stripeJsOrigins({ stripeJsUrl: 'http://127.0.0.1:12111/v3/' })).toEqual({
      scriptOrigins: ['http://127.0.0.1:12111'],
      connectOrigins: ['http://127.0.0.1:12111'],
      frameOrigins: ['http://127.0.0.1:12111'],
    });
  });
});
