import request from 'supertest';
import { loadConfig, type AppConfig } from '../../libs/config/config.js';
import { createLogger } from '../../libs/logging/logger.js';
import { startApp, type RunningApp, type StartOptions } from '../../src/bootstrap.js';
import { createTestDatabase } from './database.js';
import { EsdbSemanticsEventStore } from '../../libs/event-store/testing/esdb-semantics/esdb-semantics-event-store.js';
import { EsdbSemanticsServer } from '../../libs/event-store/testing/esdb-semantics/esdb-semantics-server.js';

export const OPERATOR_KEY = 'op_test_key_0123456789abcdef';
/** The platform's two Stripe endpoints' signing secrets: the account endpoint's and the Connect endpoint's. */
export const PLATFORM_SECRET = 'whsec_platform_test';
export const CONNECT_SECRET = 'whsec_connect_test';
export const TEST_ENCRYPTION_KEY = 'a'.repeat(64);

/**
 * `EVENT_STORE=esdb-semantics`: the app's events go to the in-process EventStoreDB-semantics store instead of
 * Postgres, one log per database, so an app restarted on the same database finds its events again.
 */
const esdbSemantics = process.env.EVENT_STORE === 'esdb-semantics';
const semanticsServers = new Map<string, EsdbSemanticsServer>();

/** The whole app in-process on a fresh database, listening on a random port. */
export async function startTestApp(
  env: Record<string, string> = {},
  options: Pick<StartOptions, 'leanRedirects'> & { esdbSemantics?: EsdbSemanticsServer } = {},
): Promise<RunningApp & { config: AppConfig }> {
  const databaseUrl = env.DATABASE_URL ?? (await createTestDatabase());
  const config = loadConfig({
    PORT: '0',
    DATABASE_URL: databaseUrl,
    OPERATOR_API_KEY: OPERATOR_KEY,
    ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    STRIPE_SECRET_KEY: 'sk_test_platform',
    STRIPE_WEBHOOK_SECRET: PLATFORM_SECRET,
    STRIPE_CONNECT_WEBHOOK_SECRET: CONNECT_SECRET,
    ...env,
  });
  const server =
    options.esdbSemantics ??
    (esdbSemantics ? (semanticsServers.get(databaseUrl) ?? semanticsServers.set(databaseUrl, new EsdbSemanticsServer()).get(databaseUrl)!) : undefined);
  const running = await startApp(config, createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'), undefined, {
    leanRedirects: options.leanRedirects,
    eventStore: server && new EsdbSemanticsEventStore(server),
  });
  return { ...running, config };
}

export type Api = ReturnType<typeof api>;

/** supertest bound to the app with a key. */
export function api(app: RunningApp, key?: string) {
  const withKey = (t: request.Test) => (key ? t.set('Authorization', `Bearer ${key}`) : t);
  const server = app.app.getHttpServer();
  return {
    get: (path: string) => withKey(request(server).get(path)),
    post: (path: string, body?: object) => withKey(request(server).post(path)).send(body ?? {}),
    put: (path: string, body?: object) => withKey(request(server).put(path)).send(body ?? {}),
    patch: (path: string, body?: object) => withKey(request(server).patch(path)).send(body ?? {}),
    delete: (path: string) => withKey(request(server).delete(path)),
  };
}

/** A company with its admin client. */
export async function newCompany(app: RunningApp, body: object = { name: 'Acme' }) {
  const res = await api(app, OPERATOR_KEY).post('/v1/companies', body).expect(201);
  return { company: res.body as { id: string; adminApiKey: string }, admin: api(app, res.body.adminApiKey) };
}
