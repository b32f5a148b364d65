import type { RunningApp } from '../../src/bootstrap.js';
import { startStripeEmulator, type StripeEmulator } from '../stripe-emulator/index.js';
import { startTestApp } from './app.js';
import { discoverRoutes, type Route } from './openapi.js';
import { eventCounter, quiesce, stopScheduledJobs } from './quiesce.js';
import { seedTenant, type Tenant } from './tenant-data.js';

export interface SeededApp {
  stripe: StripeEmulator;
  app: RunningApp;
  tenants: Tenant[];
  routes: Route[];
  counter: ReturnType<typeof eventCounter>;
  close(): Promise<void>;
}

/**
 * An app on the Stripe emulator with its scheduled jobs stopped (only the requests under test append
 * events), one seeded tenant per name, the documented routes, and an event counter; settled.
 */
export async function startSeededApp(names: string[], env: Record<string, string> = {}): Promise<SeededApp> {
  const stripe = await startStripeEmulator();
  const app = await startTestApp({ STRIPE_API_BASE: stripe.url, WEBHOOK_ALLOW_PRIVATE: 'true', ...env });
  stopScheduledJobs(app);
  const tenants = await Promise.all(names.map((name) => seedTenant(app, name)));
  const routes = await discoverRoutes(app);
  const counter = eventCounter(app.databaseUrl);
  await quiesce(app);
  return {
    stripe,
    app,
    tenants,
    routes,
    counter,
    async close() {
      await counter.close();
      await app.close();
      await stripe.close();
    },
  };
}
