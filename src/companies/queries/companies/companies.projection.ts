import { type Projection, projection } from '../../../../libs/event-store/subscriptions.js';
import type { RecordedEvent } from '../../../../libs/event-store/event-store.port.js';
import type { Sql } from '../../../../libs/database/sql.js';
import type { CompanyAdminKeyRotated, CompanyEvent } from '../../domain/company.js';
import { columnsOf, RowPatches } from '../../../../libs/event-store/batch-sql.js';

/** Postgres notification channel: a company's webhook secret changed (payload: its id); every process drops its cached copy. */
export const COMPANY_STRIPE_CHANGED = 'pf_company_stripe_changed';

const settingColumns = {
  name: 'name',
  currency: 'currency',
  invoiceSchedule: 'invoice_schedule',
  commissionPlan: 'commission_plan',
  notifications: 'notifications',
  stripeWriteBack: 'stripe_write_back',
  tracking: 'tracking',
  commissionReview: 'commission_review',
  fraud: 'fraud',
} as const;

export const companiesProjection = projection<Exclude<CompanyEvent, CompanyAdminKeyRotated>>()({
  name: 'companies',
  tables: ['companies'],
  types: ['CompanyCreated', 'CompanySettingsChanged', 'CompanyStripeConnected', 'CompanyPublishableKeyIssued'],
  async apply(e, sql) {
    switch (e.type) {
      case 'CompanyCreated':
        await sql.query(
          `insert into companies (id, name, currency, invoice_schedule, commission_plan, position, created_at, publishable_key)
           values ($1, $2, $3, $4, $5, $6, $7, $8) on conflict (id) do nothing`,
          [
            e.data.companyId,
            e.data.name,
            e.data.currency,
            JSON.stringify(e.data.invoiceSchedule),
            JSON.stringify(e.data.commissionPlan),
            e.globalPosition,
            e.occurredAt,
            e.data.publishableKey ?? null,
          ],
        );
        return;
      case 'CompanySettingsChanged':
        for (const [key, column] of Object.entries(settingColumns)) {
          const value = e.data[key as keyof typeof settingColumns];
          if (value === undefined) continue;
          await sql.query(`update companies set ${column} = $2 where id = $1`, [e.data.companyId, typeof value === 'object' ? JSON.stringify(value) : value]);
        }
        return;
      case 'CompanyStripeConnected':
        await sql.query('update companies set webhook_secret_encrypted = $2, api_key_encrypted = coalesce($3, api_key_encrypted) where id = $1', [
          e.data.companyId,
          e.data.webhookSecretEncrypted,
          e.data.apiKeyEncrypted,
        ]);
        // delivered when this transaction commits, so no process can read the old secret back into its cache after
        await sql.query('select pg_notify($1, $2)', [COMPANY_STRIPE_CHANGED, e.data.companyId]);
        return;
      case 'CompanyPublishableKeyIssued':
        await sql.query('update companies set publishable_key = $2 where id = $1', [e.data.companyId, e.data.publishableKey]);
        return;
    }
  },
  /** Replay speed: the same writes as `apply`, one statement per kind for a run of events. */
  batchTypes: ['CompanyCreated', 'CompanySettingsChanged', 'CompanyStripeConnected', 'CompanyPublishableKeyIssued'],
  async applyBatch(events, sql) {
    const created: unknown[][] = [];
    const changed = new RowPatches();
    for (const e of events) {
      const id = e.data.companyId;
      if (e.type === 'CompanyCreated') {
        created.push([
          id,
          e.data.name,
          e.data.currency,
          JSON.stringify(e.data.invoiceSchedule),
          JSON.stringify(e.data.commissionPlan),
          e.globalPosition,
          e.occurredAt,
          e.data.publishableKey ?? null,
        ]);
      } else if (e.type === 'CompanySettingsChanged') {
        for (const [key, column] of Object.entries(settingColumns)) {
          const value = e.data[key as keyof typeof settingColumns];
          if (value !== undefined) changed.set(id, column, typeof value === 'object' ? JSON.stringify(value) : value);
        }
      } else if (e.type === 'CompanyPublishableKeyIssued') {
        changed.set(id, 'publishable_key', e.data.publishableKey);
      } else if (e.type === 'CompanyStripeConnected') {
        await sql.query('select pg_notify($1, $2)', [COMPANY_STRIPE_CHANGED, id]);
        changed.set(id, 'webhook_secret_encrypted', e.data.webhookSecretEncrypted);
        if (e.data.apiKeyEncrypted != null) changed.set(id, 'api_key_encrypted', e.data.apiKeyEncrypted);
      }
    }
    if (created.length) {
      await sql.query(
        `insert into companies (id, name, currency, invoice_schedule, commission_plan, position, created_at, publishable_key)
         select * from unnest($1::text[], $2::text[], $3::text[], $4::jsonb[], $5::jsonb[], $6::bigint[], $7::timestamptz[], $8::text[]) on conflict (id) do nothing`,
        columnsOf(created, 8),
      );
    }
    const types = {
      name: 'text',
      currency: 'text',
      invoice_schedule: 'jsonb',
      commission_plan: 'jsonb',
      notifications: 'jsonb',
      stripe_write_back: 'boolean',
      tracking: 'jsonb',
      publishable_key: 'text',
      commission_review: 'text',
      fraud: 'jsonb',
      webhook_secret_encrypted: 'text',
      api_key_encrypted: 'text',
    } as const;
    await changed.write(sql, 'companies', 'id', types);
  },
});

/** Hashed API keys of admins and partners; the auth guard reads it. A rotated key's row is gone; a deactivated partner's key is disabled. */
export const apiKeysProjection: Projection = {
  name: 'api_keys',
  tables: ['api_keys'],
  types: ['CompanyCreated', 'PartnerCreated', 'CompanyAdminKeyRotated', 'PartnerApiKeyRotated', 'PartnerDeactivated', 'PartnerReactivated'],
  async apply(event: RecordedEvent, sql: Sql) {
    const d = event.data as { companyId: string; partnerId?: string; adminKeyHash?: string; apiKeyHash?: string };
    if (event.type === 'CompanyAdminKeyRotated') {
      await sql.query(`delete from api_keys where company_id = $1 and role = 'admin'`, [d.companyId]);
      await sql.query(`insert into api_keys (key_hash, role, company_id) values ($1, 'admin', $2) on conflict do nothing`, [d.adminKeyHash, d.companyId]);
    } else if (event.type === 'PartnerApiKeyRotated') {
      const [disabled] = await sql.query<{ disabled: boolean }>(`delete from api_keys where company_id = $1 and partner_id = $2 returning disabled`, [
        d.companyId,
        d.partnerId,
      ]);
      await sql.query(`insert into api_keys (key_hash, role, company_id, partner_id, disabled) values ($1, 'partner', $2, $3, $4) on conflict do nothing`, [
        d.apiKeyHash,
        d.companyId,
        d.partnerId,
        disabled?.disabled ?? false,
      ]);
    } else if (event.type === 'PartnerDeactivated' || event.type === 'PartnerReactivated') {
      await sql.query('update api_keys set disabled = $3 where company_id = $1 and partner_id = $2', [
        d.companyId,
        d.partnerId,
        event.type === 'PartnerDeactivated',
      ]);
    } else if (event.type === 'CompanyCreated') {
      const d = event.data as { companyId: string; adminKeyHash: string };
      await sql.query(`insert into api_keys (key_hash, role, company_id) values ($1, 'admin', $2) on conflict do nothing`, [d.adminKeyHash, d.companyId]);
    } else if (event.type === 'PartnerCreated') {
      const d = event.data as { companyId: string; partnerId: string; apiKeyHash: string };
      await sql.query(`insert into api_keys (key_hash, role, company_id, partner_id) values ($1, 'partner', $2, $3) on conflict do nothing`, [
        d.apiKeyHash,
        d.companyId,
        d.partnerId,
      ]);
    }
  },
  batchTypes: ['CompanyCreated', 'PartnerCreated'],
  async applyBatch(events, sql) {
    const rows = events.map((event) => {
      const d = event.data as { companyId: string; adminKeyHash?: string; partnerId?: string; apiKeyHash?: string };
      return event.type === 'CompanyCreated' ? [d.adminKeyHash, 'admin', d.companyId, null] : [d.apiKeyHash, 'partner', d.companyId, d.partnerId];
    });
    await sql.query(
      'insert into api_keys (key_hash, role, company_id, partner_id) select * from unnest($1::text[], $2::text[], $3::text[], $4::text[]) on conflict do nothing',
      columnsOf(rows, 4),
    );
  },
};
