import { Injectable } from '@nestjs/common';
import { CompaniesQuery } from '../../companies/queries/companies/companies.query.js';

const TTL_MS = 30_000;

export type SecretLookup = { status: 'unknown_company' } | { status: 'not_connected' } | { status: 'ok'; secret: string };

/**
 * Webhook signing secrets, kept decrypted in memory for a short while so the webhook path is
 * verify + one append. A signature that fails against a cached secret is retried once against a
 * fresh read (the secret may have just been rotated); the TTL bounds how long a replaced secret works.
 */
@Injectable()
export class WebhookSecrets {
  private readonly cache = new Map<string, { secret: string; until: number }>();

  constructor(private readonly companies: CompaniesQuery) {}

  async get(companyId: string, fresh = false): Promise<SecretLookup & { cached?: boolean }> {
    const hit = this.cache.get(companyId);
    if (!fresh && hit && hit.until > Date.now()) return { status: 'ok', secret: hit.secret, cached: true };
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
