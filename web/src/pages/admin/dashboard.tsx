import { useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { funnelLeaderboard, invoicesList, overviewGet, paymentsList, type LeaderboardRowResponse, type OverviewResponse } from '@partnerflow/client';
import { unwrap } from '../../api/client';
import { Card, PageHeader } from '../../components/layout';
import { Money, MoneyList } from '../../components/money';
import { Empty, Loading, QueryView } from '../../components/states';
import { formatDateTime, formatDay } from '../../lib/dates';
import { RANGES, rangeQuery, type RangeKey } from '../../lib/periods';
import { RangePicker } from '../../components/range-picker';
import { DataTable } from '../../components/table';
import { Pager, useCursorPages } from '../../components/pager';
import { usePartners, PartnerLink } from './partner-names';
import type { ChartPoint } from '../../components/chart';
import { useLoaded } from '../../lib/use-loaded';

// fetched as soon as the dashboard's code runs, while its figures load
const chart = import('../../components/chart');

function Chart(props: { currency: string; points: ChartPoint[] }) {
  const module = useLoaded(chart);
  return module ? <module.RevenueChart {...props} /> : <Loading label="Drawing the chart" />;
}

const count = new Intl.NumberFormat();

/** One series per currency: amounts in different currencies are never added together. */
function seriesByCurrency(o: OverviewResponse): { currency: string; points: ChartPoint[] }[] {
  const currencies = [...new Set([...o.totals.revenue, ...o.totals.commissions].map((m) => m.currency))].sort();
  return currencies.map((currency) => ({
    currency,
    points: o.data.map((p) => ({
      periodStart: p.periodStart,
      revenue: p.revenue.find((m) => m.currency === currency)?.amount ?? 0,
      commissions: p.commissions.find((m) => m.currency === currency)?.amount ?? 0,
    })),
  }));
}

export function DashboardPage() {
  const [range, setRange] = useState<RangeKey>('30d');
  const { interval, ...dates } = useMemo(() => rangeQuery(range), [range]);
  const overview = useQuery({ queryKey: ['overview', range, dates], queryFn: () => unwrap(overviewGet({ query: { ...dates, interval } })) });
  const unattributed = useQuery({
    queryKey: ['payments', 'unattributed', 'latest'],
    queryFn: () => unwrap(paymentsList({ query: { attribution: 'unattributed', limit: 5 } })),
  });
  const awaiting = useQuery({
    queryKey: ['invoices', 'pending_approval', 'latest'],
    queryFn: () => unwrap(invoicesList({ query: { status: 'pending_approval', limit: 5 } })),
  });
  const partners = usePartners();

  return (
    <div className="page" data-ready={overview.isSuccess ? 'true' : undefined}>
      <PageHeader
        title="Dashboard"
        description="Revenue your partners brought in, what they earned, and what needs you."
        actions={<RangePicker value={range} onChange={setRange} />}
      />
      <QueryView query={overview} label="Loading the figures">
        {(o) => (
          <>
            <div className="stats">
              <div className="stat">
                <span className="stat-label">Attributed revenue</span>
                <span className="stat-value">
                  <MoneyList items={o.totals.revenue} empty="None yet" />
                </span>
              </div>
              <div className="stat">
                <span className="stat-label">Commissions earned</span>
                <span className="stat-value">
                  <MoneyList items={o.totals.commissions} empty="None yet" />
                </span>
              </div>
              <Link className={`stat stat-link ${o.unattributedPayments ? 'stat-warn' : ''}`} to="/admin/payments?attribution=unattributed">
                <span className="stat-label">Unattributed payments</span>
                <span className="stat-value">{count.format(o.unattributedPayments)}</span>
              </Link>
              <Link className={`stat stat-link ${o.invoices.pendingApproval ? 'stat-warn' : ''}`} to="/admin/invoices?status=pending_approval">
                <span className="stat-label">Invoices awaiting approval</span>
                <span className="stat-value">{count.format(o.invoices.pendingApproval)}</span>
              </Link>
              <div className="stat">
                <span className="stat-label">Next invoice run</span>
                <span className="stat-value stat-value-small">
                  <time dateTime={o.nextInvoiceRun.at}>{formatDateTime(o.nextInvoiceRun.at)}</time>
                </span>
                <span className="stat-note">
                  for {formatDay(o.nextInvoiceRun.periodStart)} – {formatDay(o.nextInvoiceRun.periodEnd)}
                </span>
              </div>
            </div>
            <div className="chart-grid">
              {seriesByCurrency(o).map((s) => (
                <Card key={s.currency} title={`Revenue and commissions, ${s.currency.toUpperCase()}`} id={`chart-${s.currency}`}>
                  <Chart currency={s.currency} points={s.points} />
                </Card>
              ))}
              {seriesByCurrency(o).length === 0 && (
                <Card title="Revenue and commissions">
                  <Empty title="No attributed revenue in this period">Payments show here once Stripe sends them and they match a partner’s lead.</Empty>
                </Card>
              )}
            </div>
          </>
        )}
      </QueryView>
      <Leaderboard range={range} dates={dates} />
      <div className="grid-2">
        <Card
          title="Needs attention: unattributed payments"
          id="attention-payments"
          actions={<Link to="/admin/payments?attribution=unattributed">All unattributed</Link>}
        >
          <QueryView query={unattributed} isEmpty={(d) => d.data.length === 0} empty={<Empty title="Every payment is attributed" />}>
            {(page) => (
              <ul className="item-list">
                {page.data.map((p) => (
                  <li key={p.id}>
                    <Link to={`/admin/payments/${p.id}`}>{p.email ?? p.customerId ?? p.stripeObjectId}</Link>
                    <Money amount={p.amount} currency={p.currency} />
                    <span className="muted">{formatDateTime(p.paidAt)}</span>
                  </li>
                ))}
              </ul>
            )}
          </QueryView>
        </Card>
        <Card title="Invoices awaiting approval" id="attention-invoices" actions={<Link to="/admin/invoices?status=pending_approval">All invoices</Link>}>
          <QueryView query={awaiting} isEmpty={(d) => d.data.length === 0} empty={<Empty title="Nothing to approve" />}>
            {(page) => (
              <ul className="item-list">
                {page.data.map((i) => (
                  <li key={i.id}>
                    <Link to={`/admin/invoices/${i.id}`}>{i.number}</Link>
                    <PartnerLink id={i.partnerId} partners={partners.data?.data} />
                    <Money amount={i.total} currency={i.currency} />
                  </li>
                ))}
              </ul>
            )}
          </QueryView>
        </Card>
      </div>
    </div>
  );
}

/** The partners with the most customers in the dashboard's period (GET /v1/reports/partners), paged. */
function Leaderboard({ range, dates }: { range: RangeKey; dates: { from: string; to: string } }) {
  const pages = useCursorPages(range);
  const board = useQuery({
    queryKey: ['leaderboard', range, dates, pages.cursor],
    queryFn: () => unwrap(funnelLeaderboard({ query: { ...dates, cursor: pages.cursor, limit: 10 } })),
  });
  return (
    <Card title="Partner leaderboard" id="leaderboard">
      <p className="muted small">Most customers first, {RANGES[range].label.toLowerCase()}; revenue is net, per currency.</p>
      <QueryView
        query={board}
        label="Loading the leaderboard"
        isEmpty={(b) => b.data.length === 0}
        empty={<Empty title="No partner activity in this period">Clicks on referral links, leads and payments show here.</Empty>}
      >
        {(b) => (
          <>
            <DataTable<LeaderboardRowResponse>
              caption="Partner leaderboard"
              rows={b.data}
              rowKey={(r) => r.partnerId}
              columns={[
                { header: 'Partner', cell: (r) => <Link to={`/admin/partners/${r.partnerId}`}>{r.name}</Link> },
                { header: 'Clicks', align: 'end', cell: (r) => count.format(r.clicks) },
                { header: 'Leads', align: 'end', cell: (r) => count.format(r.leads) },
                { header: 'Customers', align: 'end', cell: (r) => count.format(r.customers) },
                { header: 'Paying', align: 'end', cell: (r) => count.format(r.payingCustomers) },
                { header: 'Revenue', align: 'end', cell: (r) => <MoneyList items={r.revenue} /> },
                { header: 'Commissions', align: 'end', cell: (r) => <MoneyList items={r.commissions} /> },
              ]}
            />
            <Pager pages={pages} nextCursor={b.nextCursor} label="Leaderboard" />
          </>
        )}
      </QueryView>
    </Card>
  );
}
