import chromium from '@sparticuz/chromium';
import { chromium as playwright, type Browser } from 'playwright-core';

/**
 * Flags of @sparticuz/chromium (made for serverless hosts) left out: `--single-process` (closing a context would
 * end the browser) and `--disable-web-security` (no CORS: the very thing the tracking tests check).
 */
const LEFT_OUT = new Set(['--single-process', '--disable-web-security', '--disable-site-isolation-trials', '--allow-running-insecure-content']);

/** The Chromium that @sparticuz/chromium ships inside its npm package: nothing is downloaded. */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = await chromium.executablePath();
  return playwright.launch({ executablePath, args: chromium.args.filter((a) => !LEFT_OUT.has(a)), headless: true });
}
