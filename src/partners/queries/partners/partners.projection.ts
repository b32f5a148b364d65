import { projection } from '../../../../libs/event-store/subscriptions.js';
import type { PartnerEvent } from '../../domain/partner.js';
import { columnsOf, RowPatches } from '../../../../libs/event-store/batch-sql.js';
import type { ConnectEvent } from '../../domain/connect.js';
import type { PartnerBankDetailsSet } from '../../domain/bank-details.js';

/** The partner stream's events but API keys (the api_keys projection) and account requests. */
type Read = Exclude<PartnerEvent | ConnectEvent, { type: 'PartnerApiKeyRotated' | 'PartnerStripeAccountRequested' }> | PartnerBankDetailsSet;

const columns = { name: 'name', email: 'email', currency: 'currency', commissionPlan: 'commission_plan', promotionCodes: 'promotion_codes' } as const;

export const partnersProjection = projection<Read>()({
  name: 'partners',
  tables: ['partners'],
  types: [
    'PartnerCreated',
    'PartnerStripeAccountCreated',
    'PartnerBankDetailsSet',
    'PartnerPayoutsStatusChanged',
    'PartnerUpdated',
    'PartnerDeactivated',
    'PartnerReactivated',
  ],
  async apply(event, sql) {
    const e = event;
    if (e.type === 'PartnerCreated') {
      const d = e.data;
      await sql.query(
        `insert into partners (id, company_id, name, email, currency, referral_key, commission_plan, position, created_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9) on conflict (id) do nothing`,
        [
          d.partnerId,
          d.companyId,
          d.name,
          d.email,
          d.currency,
          d.referralKey,
          d.commissionPlan && JSON.stringify(d.commissionPlan),
          event.globalPosition,
          event.occurredAt,
        ],
      );
    } else if (e.type === 'PartnerStripeAccountCreated') {
      await sql.query('update partners set stripe_account_id = $2 where id = $1', [e.data.partnerId, e.data.accountId]);
    } else if (e.type === 'PartnerBankDetailsSet') {
      const d = e.data;
      await sql.query('update partners set bank_details_masked = $2, bank_details_encrypted = $3 where id = $1', [
        d.partnerId,
        JSON.stringify(d.bankDetailsMasked),
        d.bankDetailsEncrypted,
      ]);
    } else if (e.type === 'PartnerDeactivated' || e.type === 'PartnerReactivated') {
      await sql.query('update partners set active = $2 where id = $1', [e.data.partnerId, e.type === 'PartnerReactivated']);
    } else if (e.type === 'PartnerPayoutsStatusChanged') {
      await sql.query('update partners set payouts_enabled = $2 where id = $1', [e.data.partnerId, e.data.payoutsEnabled]);
    } else if (e.type === 'PartnerUpdated') {
      for (const [key, column] of Object.entries(columns)) {
        const value = e.data[key as keyof typeof columns];
        if (value === undefined) continue;
        await sql.query(`update partners set ${column} = $2 where id = $1`, [
          e.data.partnerId,
          value !== null && typeof value === 'object' ? JSON.stringify(value) : value,
        ]);
      }
    }
  },
  /** Replay speed: the same writes as `apply`, one statement per kind for a run of events. */
  batchTypes: ['PartnerCreated', 'PartnerUpdated'],
  async applyBatch(events, sql) {
    const created: unknown[][] = [];
    const updated = new RowPatches();
    for (const e of events) {
      if (e.type === 'PartnerCreated') {
        const d = e.data;
        created.push([
          d.partnerId,
          d.companyId,
          d.name,
          d.email,
          d.currency,
          d.referralKey,
          d.commissionPlan && JSON.stringify(d.commissionPlan),
          e.globalPosition,
          e.occurredAt,
        ]);
      } else if (e.type === 'PartnerUpdated') {
        for (const [key, column] of Object.entries(columns)) {
          const value = e.data[key as keyof typeof columns];
          if (value !== undefined) updated.set(e.data.partnerId, column, value !== null && typeof value === 'object' ? JSON.stringify(value) : value);
        }
      }
    }
    if (created.length) {
      await sql.query(
        `insert into partners (id, company_id, name, email, currency, referral_key, commission_plan, position, created_at)
         select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[], $8::bigint[], $9::timestamptz[]) on conflict (id) do nothing`,
        columnsOf(created, 9),
      );
    }
    await updated.write(sql, 'partners', 'id', { name: 'text', email: 'text', currency: 'text', commission_plan: 'jsonb', promotion_codes: 'jsonb' });
  },
});
