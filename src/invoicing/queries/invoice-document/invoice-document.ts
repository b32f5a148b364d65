import PDFDocument from 'pdfkit';
import { minorUnitExponent } from '../../../../libs/money/index.js';
import type { BankDetails } from '../../../partners/index.js';
import type { InvoiceResponse } from '../../invoice.response.js';

export interface InvoiceDocument {
  invoice: InvoiceResponse;
  company: { name: string };
  partner: { name: string; email: string };
  bankDetails: BankDetails | null;
}

/** 123456 usd → "1,234.56 USD", 1234 jpy → "1,234 JPY", 1234 kwd → "1.234 KWD": the currency's own exponent. */
export function formatMoney(amount: number, currency: string): string {
  const exponent = minorUnitExponent(currency);
  const digits = String(Math.abs(amount)).padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const fraction = exponent ? `.${digits.slice(-exponent)}` : '';
  return `${amount < 0 ? '-' : ''}${whole}${fraction} ${currency.toUpperCase()}`;
}

const BANK_LABELS: [keyof BankDetails, string][] = [
  ['accountHolder', 'Account holder'],
  ['bankName', 'Bank'],
  ['country', 'Country'],
  ['iban', 'IBAN'],
  ['accountNumber', 'Account number'],
  ['routingNumber', 'Routing number'],
  ['swift', 'SWIFT/BIC'],
];

/** The document as labelled rows, shared by the PDF and the HTML rendering. */
function sections(doc: InvoiceDocument) {
  const i = doc.invoice;
  const header: [string, string][] = [
    ['Invoice', i.number],
    ['Status', i.status],
    ['Issued by (payer)', doc.company.name],
    ['Partner (payee)', `${doc.partner.name} <${doc.partner.email}>`],
    ['Period', `${i.periodStart} to ${i.periodEnd}`],
    ['Currency', i.currency.toUpperCase()],
  ];
  const lines = i.lines.map((l) => [
    l.commissionId,
    formatMoney(l.amount, l.currency),
    l.fxRate ? `${l.fxRate} (${l.fxInverted ? 'inverse, ' : ''}${l.fxSource}, ${l.fxAsOf?.slice(0, 10)})` : 'n/a',
    formatMoney(l.convertedAmount, i.currency),
  ]);
  // rounding to the currency's charge increment: the lines add up to the total
  if (i.carry.in) lines.push(['rounding carried from earlier invoices', '', 'n/a', formatMoney(i.carry.in, i.currency)]);
  if (i.carry.out) lines.push(['rounding carried to the next invoice', '', 'n/a', formatMoney(-i.carry.out, i.currency)]);
  const bank: [string, string][] = doc.bankDetails ? BANK_LABELS.filter(([k]) => doc.bankDetails![k]).map(([k, label]) => [label, doc.bankDetails![k]!]) : [];
  return { header, lines, total: formatMoney(i.total, i.currency), bank };
}

export function renderPdf(doc: InvoiceDocument): Promise<Buffer> {
  const s = sections(doc);
  const pdf = new PDFDocument({ size: 'A4', margin: 50, info: { Title: `Invoice ${doc.invoice.number}` } });
  const chunks: Buffer[] = [];
  pdf.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((ok, fail) => {
    pdf.on('end', () => ok(Buffer.concat(chunks)));
    pdf.on('error', fail);
  });
  pdf.fontSize(20).text(`Invoice ${doc.invoice.number}`).moveDown();
  pdf.fontSize(10);
  for (const [label, value] of s.header) pdf.text(`${label}: ${value}`);
  pdf.moveDown().fontSize(12).text('Lines').fontSize(9);
  pdf.text('Commission | Amount | FX rate (source, date) | Converted');
  for (const line of s.lines) pdf.text(line.join(' | '));
  pdf.moveDown().fontSize(12).text(`Total: ${s.total}`).moveDown();
  pdf.fontSize(12).text('Pay to').fontSize(10);
  if (s.bank.length) for (const [label, value] of s.bank) pdf.text(`${label}: ${value}`);
  else pdf.text('The partner has not given bank details.');
  pdf.end();
  return done;
}

const esc = (v: string) => v.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function renderHtml(doc: InvoiceDocument): string {
  const s = sections(doc);
  const rows = (pairs: [string, string][]) => pairs.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('');
  return `<!doctype html><html><head><meta charset="utf-8"><title>Invoice ${esc(doc.invoice.number)}</title></head><body>
<h1>Invoice ${esc(doc.invoice.number)}</h1>
<table>${rows(s.header)}</table>
<h2>Lines</h2>
<table><thead><tr><th>Commission</th><th>Amount</th><th>FX rate (source, date)</th><th>Converted</th></tr></thead>
<tbody>${s.lines.map((l) => `<tr>${l.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>
<p><strong>Total: ${esc(s.total)}</strong></p>
<h2>Pay to</h2>
${s.bank.length ? `<table>${rows(s.bank)}</table>` : '<p>The partner has not given bank details.</p>'}
</body></html>`;
}
