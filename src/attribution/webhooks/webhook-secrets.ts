import { Injectable } from '@nestjs/common';
import { CompaniesQuery } from '../../companies/queries/companies/companies.query.js';

const TTL_MS = 30_000;

export type SecretLookup = { status: 'unknown_company' } | { status: 'not_connected' } | { status: 'ok'; secret: string };

/**
 * Webhook signing secrets, kept decrypted in memory for a short while so the webhook path is
 * verify + one append. A signature that fails against a cached secret is retried once against a
 * fresh read (the secret may have just been rotated); the TTL bounds how long a replaced secret works.
 * Concurrent reads of one company share one query: a burst of deliveries when the entry expires, or
 * of forged ones (each retried fresh), costs one read, not one per request.
 */
@Injectable()
export class WebhookSecrets {
  private readonly cache = new Map<string, { secret: string; until: number }>();
  private readonly reading = new Map<string, Promise<SecretLookup>>();

  constructor(private readonly companies: CompaniesQuery) {}

  async get(companyId: string, fresh = false): Promise<SecretLookup & { cached?: boolean }> {
    const hit = this.cache.get(companyId);
    if (!fresh && hit && hit.until > Date.now()) return { status: 'ok', secret: hit.secret, cached: true };
    let read = this.reading.get(companyId);
    if (!read) {
      read = this.read(companyId).finally(() => this.reading.delete(companyId));
      this.reading.set(companyId, read);
    }
    return read;
  }

  private async read(companyId: string): Promise<SecretLookup> {
    const s = await this.companies.stripeSecrets(companyId);
    if (!s.exists) return { status: 'unknown_company' };
    if (!s.webhookSecret) {
      this.cache.delete(companyId);
      return { status: 'not_connected' };
    }
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(companyId, { secret: s.webhookSecret, until: Date.now() + TTL_MS });
    return { status: 'ok', secret: s.webhookSecret };
  }
}
