import { useState, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { FunnelPeriodResponse, FunnelResponse } from '@partnerflow/client';
import { Card } from './layout';
import { Empty, Loading, QueryView } from './states';
import { MoneyList } from './money';
import { DataTable } from './table';
import { formatDay } from '../lib/dates';
import { rangeQuery, type RangeKey } from '../lib/periods';
import { RangePicker } from './range-picker';
import { useLoaded } from '../lib/use-loaded';

// the charts are a chunk of their own (uPlot), fetched as soon as a funnel is on the page
const charts = import('./chart');

type Money = { currency: string; amount: number };
const count = new Intl.NumberFormat();
const percent = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });

/** Per currency, never across currencies. */
function sum(lists: Money[][]): Money[] {
  const by = new Map<string, number>();
  for (const m of lists.flat()) by.set(m.currency, (by.get(m.currency) ?? 0) + m.amount);
  return [...by].sort(([a], [b]) => a.localeCompare(b)).map(([currency, amount]) => ({ currency, amount }));
}

function Charts({ periods }: { periods: FunnelPeriodResponse[] }) {
  const module = useLoaded(charts);
  if (!module) return <Loading label="Drawing the chart" />;
  const currencies = sum(periods.flatMap((p) => [p.revenue, p.commissions])).map((m) => m.currency);
  return (
    <div className="chart-grid">
      <module.FunnelChart points={periods} />
      {currencies.map((currency) => (
        <div key={currency}>
          <h3>Revenue and commissions, {currency.toUpperCase()}</h3>
          <module.RevenueChart
            currency={currency}
            points={periods.map((p) => ({
              periodStart: p.periodStart,
              revenue: p.revenue.find((m) => m.currency === currency)?.amount ?? 0,
              commissions: p.commissions.find((m) => m.currency === currency)?.amount ?? 0,
            }))}
          />
        </div>
      ))}
    </div>
  );
}

/**
 * A partner's funnel (SPEC §10): clicks → leads → customers → paying customers, with net revenue and commissions per
 * currency, over a chosen range; a chart and the same figures as a table (periods with activity).
 */
export function FunnelCard({
  queryKey,
  load,
  empty,
  id = 'funnel',
}: {
  queryKey: readonly unknown[];
  load: (q: ReturnType<typeof rangeQuery>) => Promise<FunnelResponse>;
  empty: ReactNode;
  id?: string;
}) {
  const [range, setRange] = useState<RangeKey>('30d');
  const query = useQuery({ queryKey: [...queryKey, 'funnel', range], queryFn: () => load(rangeQuery(range)) });
  const picker = <RangePicker value={range} onChange={setRange} />;
  return (
    <Card title="Funnel" id={id} actions={picker} className="funnel">
      <QueryView
        query={query}
        label="Loading the funnel"
        isEmpty={(f) => f.data.every((p) => !p.clicks && !p.leads && !p.customers && !p.payingCustomers && !p.revenue.length)}
        empty={<Empty title="No activity in this period">{empty}</Empty>}
      >
        {(f) => {
          const periods = f.data;
          const total = (k: 'clicks' | 'leads' | 'customers' | 'payingCustomers') => periods.reduce((s, p) => s + p[k], 0);
          const [clicks, leads, customers, paying] = [total('clicks'), total('leads'), total('customers'), total('payingCustomers')];
          const share = (n: number, of: number, what: string) => (of > 0 ? `${percent.format(n / of)} of ${what}` : undefined);
          const active = periods.filter((p) => p.clicks || p.leads || p.customers || p.payingCustomers || p.revenue.length || p.commissions.length);
          const stats: [string, ReactNode, string?][] = [
            ['Clicks', count.format(clicks)],
            ['Leads', count.format(leads), share(leads, clicks, 'clicks')],
            ['Customers', count.format(customers), share(customers, leads, 'leads')],
            ['Paying customers', count.format(paying), share(paying, customers, 'customers')],
            ['Revenue (net)', <MoneyList key="r" items={sum(periods.map((p) => p.revenue))} empty="None" />],
            ['Commissions', <MoneyList key="c" items={sum(periods.map((p) => p.commissions))} empty="None" />],
          ];
          return (
            <>
              <dl className="stats stats-compact">
                {stats.map(([label, value, note]) => (
                  <div className="stat" key={label}>
                    <dt className="stat-label">{label}</dt>
                    <dd className="stat-value">{value}</dd>
                    {note && <dd className="stat-note">{note}</dd>}
                  </div>
                ))}
              </dl>
              <Charts periods={periods} />
              <DataTable<FunnelPeriodResponse>
                caption="Funnel per period (periods with activity)"
                rows={active}
                rowKey={(p) => p.periodStart}
                columns={[
                  { header: 'Period from', cell: (p) => formatDay(p.periodStart) },
                  { header: 'Clicks', align: 'end', cell: (p) => count.format(p.clicks) },
                  { header: 'Leads', align: 'end', cell: (p) => count.format(p.leads) },
                  { header: 'Customers', align: 'end', cell: (p) => count.format(p.customers) },
                  { header: 'Paying', align: 'end', cell: (p) => count.format(p.payingCustomers) },
                  { header: 'Revenue', align: 'end', cell: (p) => <MoneyList items={p.revenue} /> },
                  { header: 'Commissions', align: 'end', cell: (p) => <MoneyList items={p.commissions} /> },
                ]}
              />
              <p className="muted small">Days are UTC. Revenue is net of tax and refunds, as commissions use it; currencies are never added together.</p>
            </>
          );
        }}
      </QueryView>
    </Card>
  );
}
