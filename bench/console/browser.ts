import chromium from '@sparticuz/chromium';
import { chromium as playwright, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** The npm package's Chromium, without the serverless flags that change what is measured (see test/browser/support/browser.ts). */
export async function launchChromium(): Promise<Browser> {
  const leftOut = new Set(['--single-process', '--disable-web-security', '--disable-site-isolation-trials', '--allow-running-insecure-content']);
  return playwright.launch({ executablePath: await chromium.executablePath(), args: chromium.args.filter((a) => !leftOut.has(a)), headless: true });
}

/** JS and CSS the page received (encoded bytes on the wire), counted until `done` resolves. */
export async function shippedBytes(context: BrowserContext, open: (page: Page) => Promise<void>): Promise<{ js: number; css: number; files: number }> {
  const page = await context.newPage();
  const responses: Promise<{ type: string; bytes: number }>[] = [];
  page.on('requestfinished', (req) => {
    const type = req.resourceType();
    if (type === 'script' || type === 'stylesheet') responses.push(req.sizes().then((s) => ({ type, bytes: s.responseBodySize })));
  });
  await open(page);
  const all = await Promise.all(responses);
  await page.close();
  return {
    js: all.filter((r) => r.type === 'script').reduce((s, r) => s + r.bytes, 0),
    css: all.filter((r) => r.type === 'stylesheet').reduce((s, r) => s + r.bytes, 0),
    files: all.length,
  };
}
