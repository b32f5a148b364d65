import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { CompaniesQuery, COMPANY_STRIPE_CHANGED } from '../../companies/index.js';
import { LOGGER, ORM } from '../../core/tokens.js';
import type { Logger } from '../../../libs/logging/logger.js';

const TTL_MS = 30_000;
/** How soon a lost notification connection is tried again (meanwhile nothing is served from the cache). */
const RELISTEN_MS = 5_000;

export type SecretLookup = { status: 'unknown_company' } | { status: 'not_connected' } | { status: 'ok'; secret: string };

/**
 * Webhook signing secrets, kept decrypted in memory so the webhook path is verify + one append. Every process
 * listens (Postgres LISTEN) for the companies projection's notice that a company's secret changed and drops it
 * at once, so a replaced secret stops working on every instance, not after the TTL. While that connection is
 * down nothing is served from the cache. A signature that fails against a cached secret is also retried once
 * against a fresh read. Concurrent reads of one company share one query: a burst of deliveries when the entry
 * expires, or of forged ones (each retried fresh), costs one read, not one per request.
 */
@Injectable()
export class WebhookSecrets implements OnModuleDestroy {
  private readonly cache = new Map<string, { secret: string; until: number }>();
  private readonly reading = new Map<string, Promise<SecretLookup>>();
  private listener?: pg.Client;
  private listening = false;
  private nextListen = 0;
  private closed = false;

  constructor(
    private readonly companies: CompaniesQuery,
    @Inject(ORM) private readonly orm: MikroORM,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async get(companyId: string, fresh = false): Promise<SecretLookup & { cached?: boolean }> {
    if (!this.listening) await this.listen();
    const hit = this.cache.get(companyId);
    if (!fresh && this.listening && hit && hit.until > Date.now()) return { status: 'ok', secret: hit.secret, cached: true };
    let read = this.reading.get(companyId);
    if (!read) {
      read = this.read(companyId).finally(() => this.reading.delete(companyId));
      this.reading.set(companyId, read);
    }
    return read;
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    this.listening = false;
    await this.listener?.end().catch(() => undefined);
  }

  private async listen(): Promise<void> {
    if (this.closed || this.listener || Date.now() < this.nextListen) return;
    this.nextListen = Date.now() + RELISTEN_MS;
    const client = new pg.Client({ connectionString: this.orm.config.get('clientUrl'), connectionTimeoutMillis: 2_000 });
    this.listener = client;
    const lost = () => {
      if (this.listener !== client) return;
      this.listening = false;
      this.listener = undefined;
      this.cache.clear();
      void client.end().catch(() => undefined);
    };
    client.on('error', lost);
    client.on('end', lost);
    client.on('notification', (n) => {
      if (n.channel === COMPANY_STRIPE_CHANGED && n.payload) this.cache.delete(n.payload);
    });
    try {
      await client.connect();
      await client.query(`listen ${COMPANY_STRIPE_CHANGED}`);
      this.cache.clear();
      this.listening = true;
    } catch (e) {
      this.log.warn({ err: { message: (e as Error).message } }, 'cannot listen for webhook secret changes: secrets are read on every delivery meanwhile');
      lost();
    }
  }

  private async read(companyId: string): Promise<SecretLookup> {
    const s = await this.companies.stripeSecrets(companyId);
    if (!s.exists) return { status: 'unknown_company' };
    if (!s.webhookSecret) {
      this.cache.delete(companyId);
      return { status: 'not_connected' };
    }
    if (this.cache.size > 10_000) this.cache.clear();
    if (this.listening) this.cache.set(companyId, { secret: s.webhookSecret, until: Date.now() + TTL_MS });
    return { status: 'ok', secret: s.webhookSecret };
  }
}
