import { Inject, Injectable } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import { readSql } from '../../../../libs/database/sql.js';
import { decryptSecret } from '../../../../libs/crypto/secrets.js';
import { notFound } from '../../../../libs/http/domain-error.js';
import type { ApiKeyLookup, Principal } from '../../../../libs/http/auth.js';
import type { AppConfig } from '../../../../libs/config/config.js';
import { CONFIG, ORM } from '../../../core/tokens.js';
import { DEFAULT_FRAUD, type CommissionReview, type FraudSettings, type Notifications } from '../../domain/company.js';
import type { InvoiceSchedule } from '../../../shared-kernel/invoice-schedule.js';
import { DEFAULT_TRACKING, type TrackingSettings } from '../../domain/tracking-settings.js';
import type { CommissionPlan } from '../../../shared-kernel/commission-plan.js';

export interface CompanyView {
  id: string;
  name: string;
  currency: string;
  invoiceSchedule: InvoiceSchedule;
  commissionPlan: CommissionPlan | null;
  stripe: { connected: boolean; apiKeySet: boolean };
  notifications: Notifications;
  stripeWriteBack: boolean;
  tracking: TrackingSettings;
  publishableKey: string | null;
  commissionReview: CommissionReview;
  fraud: FraudSettings;
  createdAt: string;
}

/** What the tracking endpoints need of a company. */
export interface TrackingSite {
  companyId: string;
  publishableKey: string | null;
  tracking: TrackingSettings;
}

type Row = {
  id: string;
  name: string;
  currency: string;
  invoice_schedule: InvoiceSchedule;
  commission_plan: CommissionPlan | null;
  webhook_secret_encrypted: string | null;
  api_key_encrypted: string | null;
  notifications: Notifications;
  stripe_write_back: boolean;
  created_at: Date;
  tracking: TrackingSettings | null;
  publishable_key: string | null;
  commission_review: CommissionReview;
  fraud: FraudSettings | null;
};

/** The companies read model, for this module's controllers and for other modules. */
@Injectable()
export class CompaniesQuery implements ApiKeyLookup {
  constructor(
    @Inject(ORM) private readonly orm: MikroORM,
    @Inject(CONFIG) private readonly config: AppConfig,
  ) {}

  private async row(id: string): Promise<Row | undefined> {
    const [row] = await readSql(this.orm).query<Row>('select * from companies where id = $1', [id]);
    return row;
  }

  async get(id: string): Promise<CompanyView> {
    const row = await this.row(id);
    if (!row) throw notFound('company', id);
    return toView(row);
  }

  async find(id: string): Promise<CompanyView | undefined> {
    const row = await this.row(id);
    return row && toView(row);
  }

  /** Decrypted Stripe credentials of a company, for signature checks and reconciliation. */
  /** Ids of the companies that stored a Stripe API key, oldest first. */
  async withStripeApiKey(): Promise<string[]> {
    const rows = await readSql(this.orm).query<{ id: string }>('select id from companies where api_key_encrypted is not null order by position');
    return rows.map((r) => r.id);
  }

  async stripeSecrets(id: string): Promise<{ exists: boolean; webhookSecret?: string; apiKey?: string }> {
    const row = await this.row(id);
    if (!row) return { exists: false };
    const key = this.config.encryptionKey;
    return {
      exists: true,
      webhookSecret: row.webhook_secret_encrypted ? decryptSecret(row.webhook_secret_encrypted, key) : undefined,
      apiKey: row.api_key_encrypted ? decryptSecret(row.api_key_encrypted, key) : undefined,
    };
  }

  /** The company a publishable key names, with its tracking settings. */
  async siteByPublishableKey(key: string): Promise<TrackingSite | undefined> {
    const [row] = await readSql(this.orm).query<Row>('select id, tracking, publishable_key from companies where publishable_key = $1', [key]);
    return row && toSite(row);
  }

  async site(companyId: string): Promise<TrackingSite | undefined> {
    const [row] = await readSql(this.orm).query<Row>('select id, tracking, publishable_key from companies where id = $1', [companyId]);
    return row && toSite(row);
  }

  /** Whether some company lets pages of `origin` call the tracking endpoints (CORS preflights carry no key). */
  async anyAllowsOrigin(origin: string): Promise<boolean> {
    const rows = await readSql(this.orm).query(`select 1 from companies where tracking -> 'allowedOrigins' ? $1 limit 1`, [origin]);
    return rows.length > 0;
  }

  async byHash(hash: string): Promise<Exclude<Principal, { role: 'operator' }> | undefined> {
    const [row] = await readSql(this.orm).query<{ role: string; company_id: string; partner_id: string | null }>(
      'select role, company_id, partner_id from api_keys where key_hash = $1 and not disabled',
      [hash],
    );
    if (!row) return undefined;
    return row.role === 'partner' ? { role: 'partner', companyId: row.company_id, partnerId: row.partner_id! } : { role: 'admin', companyId: row.company_id };
  }

  /** Hashes of a partner's API keys, for a login-link session to resolve through like a key would (byHash decides which still work). */
  async partnerKeyHashes(companyId: string, partnerId: string): Promise<string[]> {
    const rows = await readSql(this.orm).query<{ key_hash: string }>(
      `select key_hash from api_keys where company_id = $1 and partner_id = $2 and role = 'partner'`,
      [companyId, partnerId],
    );
    return rows.map((r) => r.key_hash);
  }
}

function toView(r: Row): CompanyView {
  return {
    id: r.id,
    name: r.name,
    currency: r.currency,
    invoiceSchedule: r.invoice_schedule,
    commissionPlan: r.commission_plan,
    stripe: { connected: r.webhook_secret_encrypted !== null, apiKeySet: r.api_key_encrypted !== null },
    notifications: r.notifications,
    stripeWriteBack: r.stripe_write_back,
    tracking: { ...DEFAULT_TRACKING, ...r.tracking },
    publishableKey: r.publishable_key,
    commissionReview: r.commission_review,
    fraud: { ...DEFAULT_FRAUD, ...r.fraud },
    createdAt: new Date(r.created_at).toISOString(),
  };
}

const toSite = (r: Row): TrackingSite => ({ companyId: r.id, publishableKey: r.publishable_key, tracking: { ...DEFAULT_TRACKING, ...r.tracking } });
