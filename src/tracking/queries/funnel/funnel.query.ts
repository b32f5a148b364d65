import { Inject, Injectable } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import { readSql } from '../../../../libs/database/sql.js';
import { ORM } from '../../../core/tokens.js';
import { periodStarts, type Interval } from '../../domain/periods.js';

export interface MoneyTotal {
  currency: string;
  amount: number;
}

export interface FunnelPeriod {
  periodStart: string;
  clicks: number;
  leads: number;
  customers: number;
  payingCustomers: number;
  revenue: MoneyTotal[];
  commissions: MoneyTotal[];
}

export interface LeaderboardRow {
  partnerId: string;
  clicks: number;
  leads: number;
  customers: number;
  payingCustomers: number;
  revenue: MoneyTotal[];
  commissions: MoneyTotal[];
}

type CountRow = { key: string; clicks: string; leads: string; customers: string; paying_customers: string };
type AmountRow = { key: string; kind: 'revenue' | 'commission'; currency: string; amount: string };

const PERIOD = (interval: Interval) => `greatest(date_trunc('${interval}', day::timestamp)::date, $3::date)::text`;

/** The funnel read model (funnel.projection.ts): a partner's periods, and every partner's totals over a range. */
@Injectable()
export class FunnelQuery {
  constructor(@Inject(ORM) private readonly orm: MikroORM) {}

  /** Every period of [from, to], empty ones included, oldest first. */
  async funnel(companyId: string, partnerId: string, from: Date, to: Date, interval: Interval): Promise<FunnelPeriod[]> {
    const sql = readSql(this.orm);
    const params = [companyId, partnerId, from.toISOString().slice(0, 10), to.toISOString().slice(0, 10)];
    const [counts, amounts] = await Promise.all([
      sql.query<CountRow>(
        `select ${PERIOD(interval)} as key, sum(clicks) as clicks, sum(leads) as leads, sum(customers) as customers, sum(paying_customers) as paying_customers
         from funnel_days where company_id = $1 and partner_id = $2 and day between $3 and $4 group by 1`,
        params,
      ),
      sql.query<AmountRow>(
        `select ${PERIOD(interval)} as key, kind, currency, sum(amount) as amount
         from funnel_amounts where company_id = $1 and partner_id = $2 and day between $3 and $4 group by 1, 2, 3 order by 3`,
        params,
      ),
    ]);
    const byKey = totals(counts, amounts);
    return periodStarts(from, to, interval).map((periodStart) => ({ periodStart, ...(byKey.get(periodStart) ?? empty()) }));
  }

  /** Partners with any activity in [from, to], most customers first (then leads, clicks, id). */
  async leaderboard(companyId: string, from: Date, to: Date, offset: number, limit: number): Promise<LeaderboardRow[]> {
    const sql = readSql(this.orm);
    const range = [companyId, from.toISOString().slice(0, 10), to.toISOString().slice(0, 10)];
    const counts = await sql.query<CountRow>(
      `select partner_id as key, sum(clicks) as clicks, sum(leads) as leads, sum(customers) as customers, sum(paying_customers) as paying_customers
       from funnel_days where company_id = $1 and day between $2 and $3 group by partner_id
       union all
       select partner_id, 0, 0, 0, 0 from funnel_amounts a where company_id = $1 and day between $2 and $3
         and not exists (select 1 from funnel_days d where d.company_id = $1 and d.partner_id = a.partner_id and d.day between $2 and $3)
       group by partner_id`,
      range,
    );
    const ranked = counts
      .map((r) => ({ partnerId: r.key, ...counted(r) }))
      .sort(
        (a, b) => b.customers - a.customers || b.leads - a.leads || b.clicks - a.clicks || (a.partnerId < b.partnerId ? -1 : a.partnerId > b.partnerId ? 1 : 0),
      )
      .slice(offset, offset + limit);
    if (ranked.length === 0) return [];
    const amounts = await sql.query<AmountRow>(
      `select partner_id as key, kind, currency, sum(amount) as amount from funnel_amounts
       where company_id = $1 and day between $2 and $3 and partner_id = any($4) group by 1, 2, 3 order by 3`,
      [...range, ranked.map((r) => r.partnerId)],
    );
    const money = totals([], amounts);
    return ranked.map((r) => ({ ...r, revenue: money.get(r.partnerId)?.revenue ?? [], commissions: money.get(r.partnerId)?.commissions ?? [] }));
  }
}

const empty = (): Omit<FunnelPeriod, 'periodStart'> => ({ clicks: 0, leads: 0, customers: 0, payingCustomers: 0, revenue: [], commissions: [] });
const counted = (r: CountRow) => ({
  clicks: Number(r.clicks),
  leads: Number(r.leads),
  customers: Number(r.customers),
  payingCustomers: Number(r.paying_customers),
});

function totals(counts: CountRow[], amounts: AmountRow[]): Map<string, Omit<FunnelPeriod, 'periodStart'>> {
  const byKey = new Map<string, Omit<FunnelPeriod, 'periodStart'>>();
  const of = (key: string) => byKey.get(key) ?? byKey.set(key, empty()).get(key)!;
  for (const r of counts) Object.assign(of(r.key), counted(r));
  for (const a of amounts) {
    const amount = Number(a.amount);
    if (amount !== 0) (a.kind === 'revenue' ? of(a.key).revenue : of(a.key).commissions).push({ currency: a.currency, amount });
  }
  return byKey;
}
