import chromium from '@sparticuz/chromium';
import { chromium as playwright, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../../../', import.meta.url).pathname;
export const SCREENSHOTS = join(root, 'test-results/screenshots');

/**
 * Flags of @sparticuz/chromium (made for serverless hosts) left out: `--single-process` (closing a
 * context would end the browser) and `--disable-web-security` (no CORS, no Origin header: the very
 * things the console's security rests on).
 */
const LEFT_OUT = new Set(['--single-process', '--disable-web-security', '--disable-site-isolation-trials', '--allow-running-insecure-content']);

/** The Chromium that @sparticuz/chromium ships inside its npm package: nothing is downloaded. */
export async function launchBrowser(): Promise<Browser> {
  return playwright.launch({ executablePath: await chromium.executablePath(), args: chromium.args.filter((a) => !LEFT_OUT.has(a)), headless: true });
}

export interface Tab {
  context: BrowserContext;
  page: Page;
  /** Uncaught page errors and console errors other than the failed requests the test itself provokes. */
  errors: string[];
}

/** A fresh context (its own cookies) with one page, at `baseURL`. */
export async function openTab(browser: Browser, baseURL: string, viewport = { width: 1280, height: 860 }): Promise<Tab> {
  const context = await browser.newContext({ baseURL, viewport, locale: 'en-US', timezoneId: 'UTC' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) errors.push(`console: ${m.text()}`);
  });
  return { context, page, errors };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** axe-core on the page as it is: the serious and critical violations, one line each. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help} (${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join(' | ')})`,
    );
}

/** Whether the page is wider than the viewport (it scrolls sideways). */
export const scrollsSideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
