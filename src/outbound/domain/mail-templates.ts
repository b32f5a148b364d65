import escapeHtml from 'escape-html';
import { toMajorUnits } from '../../../libs/money/index.js';
import type { NotificationKind } from '../../companies/index.js';

export interface Money {
  amount: number;
  currency: string;
}

export type MailData =
  | { kind: 'login_link'; companyName: string; partnerName: string; url: string; expiresAt: string }
  | { kind: 'invoice_approved' | 'invoice_paid'; companyName: string; partnerName: string; invoiceNumber: string; total: Money }
  | { kind: 'invoice_payment_failed' | 'payout_failed'; companyName: string; partnerName: string; invoiceNumber: string; total: Money; reason: string }
  | {
      kind: 'unattributed_digest';
      companyName: string;
      day: string;
      payments: { id: string; amount: Money; email: string | null; paidAt: string }[];
      total: number;
    }
  | { kind: 'webhook_endpoint_disabled'; companyName: string; url: string; reason: string; disabledAt: string };

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/** What a template says, before it is written as text or HTML: every value is escaped once, in `render`. */
interface Content {
  subject: string;
  greeting: string;
  paragraphs: string[];
  link?: { label: string; url: string };
  table?: { head: string[]; rows: string[][] };
}

const money = (m: Money) => `${toMajorUnits(m.amount, m.currency)} ${m.currency.toUpperCase()}`;

function content(d: MailData): Content {
  switch (d.kind) {
    case 'login_link':
      return {
        subject: `Your sign-in link for ${d.companyName}'s partner portal`,
        greeting: `Hello ${d.partnerName},`,
        paragraphs: [
          `Use this link to sign in to ${d.companyName}'s partner portal. It works once and expires at ${d.expiresAt}.`,
          'If you did not expect it, ignore this e-mail.',
        ],
        link: { label: 'Sign in', url: d.url },
      };
    case 'invoice_approved':
      return {
        subject: `Invoice ${d.invoiceNumber} approved`,
        greeting: `Hello ${d.partnerName},`,
        paragraphs: [`${d.companyName} approved your invoice ${d.invoiceNumber} for ${money(d.total)}. It will be paid soon.`],
      };
    case 'invoice_paid':
      return {
        subject: `Invoice ${d.invoiceNumber} paid`,
        greeting: `Hello ${d.partnerName},`,
        paragraphs: [`${d.companyName} paid your invoice ${d.invoiceNumber}: ${money(d.total)}.`],
      };
    case 'invoice_payment_failed':
      return {
        subject: `Payment of invoice ${d.invoiceNumber} failed`,
        greeting: `Hello ${d.partnerName},`,
        paragraphs: [
          `The payment of your invoice ${d.invoiceNumber} (${money(d.total)}) from ${d.companyName} failed: ${d.reason}`,
          'Check your payout details in the partner portal; the company will try again.',
        ],
      };
    case 'payout_failed':
      return {
        subject: `Payout failed: invoice ${d.invoiceNumber} of ${d.partnerName}`,
        greeting: 'Hello,',
        paragraphs: [
          `The payout of invoice ${d.invoiceNumber} (${money(d.total)}) to ${d.partnerName} failed: ${d.reason}`,
          'Open the invoice in the console to pay it again or mark it as paid.',
        ],
      };
    case 'unattributed_digest':
      return {
        subject: `${d.total} new unattributed payment${d.total === 1 ? '' : 's'} on ${d.day}`,
        greeting: 'Hello,',
        paragraphs: [
          `${d.companyName} received ${d.total} payment${d.total === 1 ? '' : 's'} on ${d.day} that no partner's lead matched.` +
            (d.total > d.payments.length ? ` The first ${d.payments.length} are listed; the console lists them all.` : ''),
          'The diagnosis of each payment names candidate leads; linking the customer attributes its past payments.',
        ],
        table: { head: ['Payment', 'Amount', 'E-mail', 'Paid at'], rows: d.payments.map((p) => [p.id, money(p.amount), p.email ?? '', p.paidAt]) },
      };
    case 'webhook_endpoint_disabled':
      return {
        subject: `Webhook endpoint disabled: ${d.url}`,
        greeting: 'Hello,',
        paragraphs: [
          `Partnerflow disabled ${d.companyName}'s webhook endpoint ${d.url} at ${d.disabledAt}: deliveries to it failed for 3 days (${d.reason}).`,
          'No more events are sent to it. Fix the receiver, then create the endpoint again; past deliveries are listed with their status codes.',
        ],
      };
  }
}

/** Plain-text and HTML forms of one e-mail; every value from outside is escaped in the HTML. */
export function renderMail(d: MailData): RenderedMail {
  const c = content(d);
  const text = [c.greeting, '', ...c.paragraphs.flatMap((p) => [p, ''])];
  if (c.link) text.push(`${c.link.label}: ${c.link.url}`, '');
  if (c.table) text.push(c.table.head.join(' | '), ...c.table.rows.map((r) => r.join(' | ')), '');
  text.push('— Partnerflow');
  const e = escapeHtml;
  const html = [
    '<!doctype html><html><body style="font-family:sans-serif">',
    `<p>${e(c.greeting)}</p>`,
    ...c.paragraphs.map((p) => `<p>${e(p)}</p>`),
    c.link ? `<p><a href="${e(c.link.url)}">${e(c.link.label)}</a></p>` : '',
    c.table
      ? `<table border="1" cellpadding="4" style="border-collapse:collapse"><tr>${c.table.head.map((h) => `<th>${e(h)}</th>`).join('')}</tr>` +
        c.table.rows.map((r) => `<tr>${r.map((v) => `<td>${e(v)}</td>`).join('')}</tr>`).join('') +
        '</table>'
      : '',
    '<p>— Partnerflow</p></body></html>',
  ].join('');
  return { subject: oneLine(c.subject), text: text.join('\n'), html };
}

/** A header must stay one line whatever a name holds. */
const oneLine = (s: string) => s.replace(/[\r\n]+/g, ' ').slice(0, 250);

/** Kinds a company can switch off; a login link the admin asks for is always sent. */
export const isSwitchedOff = (kind: NotificationKind, disabled: readonly string[]): boolean => kind !== 'login_link' && disabled.includes(kind);
