import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '../../../libs/config/config.js';
import { freePort } from '../../../libs/database/embedded-postgres.js';
import type { RunningApp } from '../../../src/bootstrap.js';
import { startTestApp, OPERATOR_KEY } from '../../support/app.js';
import { startStripeEmulator, type Forwarding, type StripeEmulator } from '../../stripe-emulator/index.js';
import { typedClient } from '../../support/typed-client.js';

const root = new URL('../../../', import.meta.url).pathname;
export const PLATFORM_SECRET = 'whsec_platform_console';
export const CONNECT_SECRET = 'whsec_connect_console';
export const PUBLISHABLE_KEY = 'pk_test_console';

function newest(path: string): number {
  const s = statSync(path);
  return s.isDirectory() ? readdirSync(path).reduce((m, n) => Math.max(m, newest(join(path, n))), s.mtimeMs) : s.mtimeMs;
}

/** Builds web/dist when a console source is newer than the last build (as `npm start` does). */
export function ensureConsoleBuilt(): void {
  const stamp = join(root, 'web/dist/.build-stamp');
  const sources = ['web/src', 'web/index.html', 'clients/typescript/src', 'libs/money'].map((p) => join(root, p));
  if (existsSync(stamp) && Math.max(...sources.map(newest)) <= statSync(stamp).mtimeMs) return;
  const build = spawnSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: join(root, 'web'),
    encoding: 'utf8',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (build.status !== 0) throw new Error(`building the console failed:\n${build.stdout}\n${build.stderr}`);
  writeFileSync(stamp, new Date().toISOString());
}

export interface ConsoleApp {
  app: RunningApp & { config: AppConfig };
  stripe: StripeEmulator;
  forwarding: Forwarding;
  /** http://127.0.0.1:<port>, which is also PUBLIC_URL: the console's own origin. */
  url: string;
  operator: ReturnType<typeof typedClient>;
  close(): Promise<void>;
}

/**
 * The app on a known port (PUBLIC_URL is its own origin) with the console built, on the Stripe emulator
 * whose events reach the platform webhook as Stripe would send them, and Stripe.js from the emulator.
 * `env` adds settings (a local SMTP receiver, private webhook endpoints…).
 */
export async function startConsoleApp(env: Record<string, string> = {}): Promise<ConsoleApp> {
  ensureConsoleBuilt();
  const stripe = await startStripeEmulator();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const app = await startTestApp({
    PORT: String(port),
    PUBLIC_URL: url,
    STRIPE_API_BASE: stripe.url,
    STRIPE_SECRET_KEY: 'sk_test_console',
    STRIPE_WEBHOOK_SECRET: PLATFORM_SECRET,
    STRIPE_CONNECT_WEBHOOK_SECRET: CONNECT_SECRET,
    STRIPE_JS_URL: stripe.stripeJsUrl,
    STRIPE_PUBLISHABLE_KEY: PUBLISHABLE_KEY,
    ...env,
  });
  const forwarding = stripe.forwardEvents({
    platform: { url: `${url}/v1/webhooks/stripe-platform`, secret: PLATFORM_SECRET },
    connect: { url: `${url}/v1/webhooks/stripe-connect`, secret: CONNECT_SECRET },
  });
  return {
    app,
    stripe,
    forwarding,
    url,
    operator: typedClient(url, OPERATOR_KEY),
    async close() {
      forwarding.stop();
      await app.close();
      await stripe.close();
    },
  };
}
