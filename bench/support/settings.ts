/** Sizes of every phase. BENCH_SCALE multiplies the defaults (0.1 for a quick run); each BENCH_* overrides one. */
const scale = Number(process.env.BENCH_SCALE ?? '1');

function size(name: string, fallback: number, min = 1): number {
  const raw = process.env[name];
  if (raw !== undefined && raw !== '') return Math.max(min, Math.round(Number(raw)));
  return Math.max(min, Math.round(fallback * scale));
}

/** Not scaled: shapes of the load rather than its size. */
function fixed(name: string, fallback: number, min = 1): number {
  const raw = process.env[name];
  return raw !== undefined && raw !== '' ? Math.max(min, Math.round(Number(raw))) : fallback;
}

export const settings = {
  scale,
  appends: size('BENCH_APPENDS', 10_000, 100),
  appendConcurrency: fixed('BENCH_APPEND_CONCURRENCY', 10, 1),
  readEvents: size('BENCH_READ_EVENTS', 100_000, 1_000),
  webhooks: size('BENCH_WEBHOOKS', 5_000, 100),
  webhookConnections: fixed('BENCH_WEBHOOK_CONNECTIONS', 50, 1),
  pacedRate: fixed('BENCH_PACED_RATE', 1_000, 10),
  pacedSeconds: fixed('BENCH_PACED_SECONDS', 10, 2),
  backlogWaitSeconds: fixed('BENCH_BACKLOG_WAIT', 20, 1),
  attributed: size('BENCH_ATTRIBUTED', 200, 20),
  replayEvents: size('BENCH_REPLAY_EVENTS', 1_000_000, 10_000),
  replayTimeoutSeconds: fixed('BENCH_REPLAY_TIMEOUT', 60, 10),
  invoiceTimeoutSeconds: fixed('BENCH_INVOICE_TIMEOUT', 60, 5),
  invoicePartners: size('BENCH_INVOICE_PARTNERS', 10_000, 10),
  invoiceCommissions: size('BENCH_INVOICE_COMMISSIONS', 1_000_000, 100),
  consolePayments: size('BENCH_CONSOLE_PAYMENTS', 10_000, 100),
  consoleLoads: fixed('BENCH_CONSOLE_LOADS', 7, 1),
  outboundEvents: size('BENCH_OUTBOUND_EVENTS', 5_000, 100),
  outboundTimeoutSeconds: fixed('BENCH_OUTBOUND_TIMEOUT', 120, 5),
  exportRows: size('BENCH_EXPORT_ROWS', 1_000_000, 1_000),
  funnelClicks: size('BENCH_FUNNEL_CLICKS', 1_000_000, 1_000),
};
