import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { currencyExponent, formatMoney } from '../lib/money';
import { formatDay } from '../lib/dates';

export interface ChartPoint {
  periodStart: string;
  revenue: number;
  commissions: number;
}

/** Draws a uPlot chart into `el` at the element's width (220 px high), follows its resizes, and returns the clean-up. */
function drawResponsive(el: HTMLElement, options: Omit<uPlot.Options, 'width' | 'height'>, data: uPlot.AlignedData): () => void {
  const size = () => ({ width: Math.max(el.clientWidth, 240), height: 220 });
  const plot = new uPlot({ ...options, ...size() }, data, el);
  const resize = new ResizeObserver(() => plot.setSize(size()));
  resize.observe(el);
  return () => {
    resize.disconnect();
    plot.destroy();
  };
}

const compact = (currency: string) =>
  new Intl.NumberFormat(undefined, { style: 'currency', currency: currency.toUpperCase(), notation: 'compact', maximumFractionDigits: 1 });

/**
 * Attributed revenue (bars) and commissions (line) of one currency over time, with uPlot (small, canvas).
 * The canvas is decoration for screen readers: the same figures are in the table under it.
 */
export function RevenueChart({ currency, points }: { currency: string; points: ChartPoint[] }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const scale = 10 ** currencyExponent(currency);
    const axis = compact(currency);
    const data: uPlot.AlignedData = [
      points.map((p) => Date.parse(`${p.periodStart}T00:00:00Z`) / 1000),
      points.map((p) => p.revenue / scale),
      points.map((p) => p.commissions / scale),
    ];
    // half a period of room on each side, so the first and last bars show whole
    const xs = data[0] as number[];
    const pad = (xs.length > 1 ? xs[1]! - xs[0]! : 86_400) / 2;
    const money = (_: uPlot, v: number | null) => (v === null ? '—' : formatMoney(Math.round(v * scale), currency));
    return drawResponsive(
      el,
      {
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
        legend: { show: true, live: false },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: true, range: (_u, min, max) => [min - pad, max + pad] }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
        axes: [
          { stroke: '#525866', grid: { show: false }, ticks: { stroke: '#d5d9e0' } },
          { stroke: '#525866', grid: { stroke: '#eef0f4' }, ticks: { show: false }, size: 64, values: (_u, splits) => splits.map((v) => axis.format(v)) },
        ],
        series: [
          {},
          {
            label: 'Revenue',
            stroke: '#4338ca',
            fill: 'rgba(67, 56, 202, 0.55)',
            width: 0,
            paths: uPlot.paths.bars!({ size: [0.6, 40] }),
            value: money,
            points: { show: false },
          },
          { label: 'Commissions', stroke: '#b45309', width: 2, value: money, points: { size: 5 } },
        ],
      },
      data,
    );
  }, [currency, points]);

  const totalRevenue = points.reduce((s, p) => s + p.revenue, 0);
  const totalCommissions = points.reduce((s, p) => s + p.commissions, 0);
  return (
    <figure className="chart">
      <div ref={box} className="chart-canvas" aria-hidden="true" />
      <figcaption className="sr-only">
        {currency.toUpperCase()}: revenue {formatMoney(totalRevenue, currency)}, commissions {formatMoney(totalCommissions, currency)} in the period.
      </figcaption>
      <details className="chart-table">
        <summary>Show the figures</summary>
        <table className="table table-compact">
          <caption className="sr-only">Revenue and commissions per period, {currency.toUpperCase()}</caption>
          <thead>
            <tr>
              <th scope="col">Period</th>
              <th scope="col" className="num">
                Revenue
              </th>
              <th scope="col" className="num">
                Commissions
              </th>
            </tr>
          </thead>
          <tbody>
            {points.map((p) => (
              <tr key={p.periodStart}>
                <td data-label="Period">{formatDay(p.periodStart)}</td>
                <td data-label="Revenue" className="num">
                  {formatMoney(p.revenue, currency)}
                </td>
                <td data-label="Commissions" className="num">
                  {formatMoney(p.commissions, currency)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

export interface FunnelPoint {
  periodStart: string;
  clicks: number;
  leads: number;
  customers: number;
  payingCustomers: number;
}

const FUNNEL_SERIES = [
  { key: 'clicks', label: 'Clicks', stroke: '#4338ca' },
  { key: 'leads', label: 'Leads', stroke: '#0e7490' },
  { key: 'customers', label: 'Customers', stroke: '#b45309' },
  { key: 'payingCustomers', label: 'Paying customers', stroke: '#116b3a' },
] as const;

/** Clicks, leads, customers and paying customers per period, one line each (the table beside it has the figures). */
export function FunnelChart({ points }: { points: FunnelPoint[] }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const data: uPlot.AlignedData = [
      points.map((p) => Date.parse(`${p.periodStart}T00:00:00Z`) / 1000),
      ...FUNNEL_SERIES.map((s) => points.map((p) => p[s.key])),
    ];
    const whole = new Intl.NumberFormat();
    return drawResponsive(
      el,
      {
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
        legend: { show: true, live: false },
        cursor: { drag: { x: false, y: false } },
        scales: { y: { range: (_u, _min, max) => [0, Math.max(max * 1.1, 4)] } },
        axes: [
          { stroke: '#525866', grid: { show: false }, ticks: { stroke: '#d5d9e0' } },
          {
            stroke: '#525866',
            grid: { stroke: '#eef0f4' },
            ticks: { show: false },
            size: 48,
            values: (_u, splits) => splits.map((v) => (Number.isInteger(v) ? whole.format(v) : '')),
          },
        ],
        series: [
          {},
          ...FUNNEL_SERIES.map((s) => ({
            label: s.label,
            stroke: s.stroke,
            width: 2,
            points: { size: 5 },
            value: (_: uPlot, v: number | null) => (v === null ? '—' : whole.format(v)),
          })),
        ],
      },
      data,
    );
  }, [points]);
  return (
    <figure className="chart">
      <div ref={box} className="chart-canvas" aria-hidden="true" />
      <figcaption className="sr-only">Clicks, leads, customers and paying customers per period; the table below lists them.</figcaption>
    </figure>
  );
}
