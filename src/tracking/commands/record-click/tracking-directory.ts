import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { CompaniesQuery, type TrackingSite } from '../../../companies/index.js';
import { PartnersQuery } from '../../../partners/index.js';

export interface ReferralLink {
  companyId: string;
  partnerId: string;
}

/** Read models are re-read at most this often per key: a settings change reaches every process within it. */
export const DIRECTORY_TTL_MS = 1_000;

/**
 * Referral keys and companies' tracking settings for the hot tracking paths, from the partners and companies
 * read models, kept in memory for a second: a click costs no read. Unknown keys are not kept (a partner created
 * a moment ago is found at once).
 */
@Injectable()
export class TrackingDirectory {
  private readonly links = new LRUCache<string, ReferralLink>({ max: 100_000, ttl: DIRECTORY_TTL_MS });
  private readonly sites = new LRUCache<string, TrackingSite>({ max: 20_000, ttl: DIRECTORY_TTL_MS });
  private readonly keys = new LRUCache<string, TrackingSite>({ max: 20_000, ttl: DIRECTORY_TTL_MS });

  constructor(
    private readonly partners: PartnersQuery,
    private readonly companies: CompaniesQuery,
  ) {}

  /** The partner a referral key names; null when none (or, for keys drawn before they were claimed across companies, more than one) does. */
  async link(referralKey: string): Promise<ReferralLink | null> {
    const cached = this.links.get(referralKey);
    if (cached) return cached;
    const found = await this.partners.byReferralKeyInAnyCompany(referralKey);
    if (found.length !== 1) return null;
    this.links.set(referralKey, found[0]!);
    return found[0]!;
  }

  async site(companyId: string): Promise<TrackingSite | null> {
    const cached = this.sites.get(companyId);
    if (cached) return cached;
    const site = await this.companies.site(companyId);
    if (site) this.sites.set(companyId, site);
    return site ?? null;
  }

  async siteByPublishableKey(key: string): Promise<TrackingSite | null> {
    const cached = this.keys.get(key);
    if (cached) return cached;
    const site = await this.companies.siteByPublishableKey(key);
    if (site) this.keys.set(key, site);
    return site ?? null;
  }

  anyAllowsOrigin(origin: string): Promise<boolean> {
    return this.companies.anyAllowsOrigin(origin);
  }
}
