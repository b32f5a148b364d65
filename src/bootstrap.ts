import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import type { MikroORM } from '@mikro-orm/postgresql';
import { AppModule } from './app.module.js';
import { migrations } from './migrations.js';
import { openApiDocument } from './openapi-document.js';
import { serveApiReference } from './api-reference.js';
import type { AppConfig } from '../libs/config/config.js';
import { startEmbeddedPostgres, type RunningPostgres } from '../libs/database/embedded-postgres.js';
import { openOrm } from '../libs/database/orm.js';
import { PostgresEventStore } from '../libs/event-store/postgres/postgres-event-store.js';
import { EsdbEventStore } from '../libs/event-store/esdb/esdb-event-store.js';
import type { EventStore } from '../libs/event-store/event-store.port.js';
import { SubscriptionRunner } from '../libs/event-store/subscription-runner.js';
import { PostgresLeaderLock } from '../libs/event-store/leader-lock.js';
import { ProblemDetailsFilter } from '../libs/http/problem-details.filter.js';
import { validationPipe } from '../libs/http/validation.js';
import { requestLines, requestLogger } from '../libs/http/request-logger.js';
import { inputGuard } from '../libs/http/input-guard.js';
import { headersSetBy, securityHeaders } from '../libs/http/security-headers.js';
import { serveBeforeFramework } from '../libs/http/lean-json-route.js';
import { StripeWebhookController, stripeWebhookRoute } from './attribution/index.js';
import { createLogger, type Logger } from '../libs/logging/logger.js';
import { serveConsole, stripeJsOrigins } from './console/index.js';
import { ReferralRedirect, referralRedirectRoute } from './tracking/index.js';
import { writeDatabaseUrlFile } from '../libs/database/database-url-file.js';
import { readProjectionLagFrom } from '../libs/metrics/metrics.js';
import { serveMetrics } from '../libs/metrics/metrics-server.js';
import { AppendSignal, SignallingRunner, workerRoutesOnly } from './roles/index.js';

export interface RunningApp {
  app: NestExpressApplication;
  url: string;
  databaseUrl: string;
  /** METRICS_PORT's /metrics, when set. */
  metricsUrl?: string;
  runner: SubscriptionRunner;
  orm: MikroORM;
  store: EventStore;
  close(): Promise<void>;
}

export interface StartOptions {
  /** Serve the Stripe webhook route before the framework (default); false leaves it all to Nest, for comparing the two. */
  leanWebhooks?: boolean;
  /** Serve referral links (`GET /r/…`) before the framework (default); false leaves them to Nest, for comparing the two. */
  leanRedirects?: boolean;
  /** The event store to use instead of the configured one (tests: the EventStoreDB-semantics store). */
  eventStore?: EventStore;
}

/** Largest JSON request body, in bytes. */
const JSON_BODY_LIMIT = 1024 * 1024;

/** config → database (embedded or DATABASE_URL) → migrations → event store → Nest → Swagger → listen. */
export async function startApp(
  config: AppConfig,
  log: Logger = createLogger(config.logLevel),
  embeddedStarting?: Promise<RunningPostgres>,
  options: StartOptions = {},
): Promise<RunningApp> {
  let embedded: RunningPostgres | undefined;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    embedded = await (embeddedStarting ?? startEmbeddedPostgres({ dataDir: config.dataDir, onLog: (m) => log.debug({ postgres: m }) }));
    databaseUrl = embedded.url;
    writeDatabaseUrlFile(config.dataDir, databaseUrl);
    log.info({ dataDir: config.dataDir }, 'embedded PostgreSQL started');
  }
  const orm = await openOrm(databaseUrl, migrations);
  const store: EventStore =
    options.eventStore ?? (config.eventStoreUrl ? EsdbEventStore.connect(config.eventStoreUrl) : PostgresEventStore.connect(databaseUrl));
  const leader = new PostgresLeaderLock(databaseUrl);
  const runner = new SignallingRunner(store, orm, leader, log);
  // Listened to where subscriptions may run, and acted on only by the leader (the one that runs them).
  runner.signal = new AppendSignal(databaseUrl, log, config.runBackgroundJobs ? () => leader.held && runner.wakeLocal() : undefined);
  await runner.signal.start();
  readProjectionLagFrom(async () => (await runner.status({ checksum: false })).filter((x) => x.kind === 'projection'));

  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ config, orm, store, runner, leader, log }), {
    rawBody: true,
    logger: ['error', 'warn'],
    bodyParser: true,
  });
  const security = securityHeaders(stripeJsOrigins(config));
  app.disable('x-powered-by');
  app.use(security);
  if (config.role === 'worker') app.use(workerRoutesOnly);
  app.set('trust proxy', config.trustProxy);
  app.useBodyParser('json', { limit: JSON_BODY_LIMIT });
  app.use(requestLogger(log));
  if (!serveConsole(app, config)) log.warn('the web console is not built (npm run build): only the API is served');
  app.use(inputGuard);
  app.useGlobalPipes(validationPipe);
  app.useGlobalFilters(new ProblemDetailsFilter(log));
  // No enableShutdownHooks: main.ts handles SIGTERM/SIGINT with close() and exits 0; Nest's hooks re-raise the signal (exit 143).
  serveApiReference(app);
  SwaggerModule.setup('docs', app, openApiDocument(app), { jsonDocumentUrl: 'docs-json' });
  await app.init();
  const express = app.getHttpAdapter().getInstance();
  const headers = headersSetBy(security);
  // A worker serves no public route: the lean routes would answer before workerRoutesOnly.
  const publicRoutes = config.role !== 'worker';
  serveBeforeFramework(
    app.getHttpServer(),
    express,
    log,
    requestLines(log),
    publicRoutes && options.leanWebhooks !== false ? [stripeWebhookRoute(app.get(StripeWebhookController), JSON_BODY_LIMIT)] : [],
    headers,
    publicRoutes && options.leanRedirects !== false ? [referralRedirectRoute(app.get(ReferralRedirect), express, log, requestLines(log), headers)] : [],
  );
  if (config.runBackgroundJobs) await runner.start();
  const metricsServer = config.metricsPort === undefined ? undefined : await serveMetrics(config.metricsPort, config.host);
  await app.listen(config.port, config.host);
  const address = app.getHttpServer().address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : config.port}`;
  return {
    app,
    url,
    databaseUrl,
    ...(metricsServer && { metricsUrl: `http://127.0.0.1:${(metricsServer.address() as { port: number }).port}/metrics` }),
    runner,
    orm,
    store,
    async close() {
      metricsServer?.close();
      await runner.stop();
      await runner.signal?.close();
      await app.close();
      await store.close();
      await orm.close();
      await embedded?.stop();
    },
  };
}
