import { describe, it, expect } from '@jest/globals';
import { isSwitchedOff, renderMail } from './mail-templates.js';

describe('mail templates', () => {
  it('escape every value in the HTML and keep the subject on one line', () => {
    const m = renderMail({
      kind: 'payout_failed',
      companyName: 'A&B <script>',
      partnerName: 'Eve"\r\nBcc: x@evil.test',
      invoiceNumber: 'INV-000001',
      total: { amount: 123_456, currency: 'jpy' },
      reason: '<img src=x onerror=alert(1)>',
    });
    expect(m.subject).toBe('Payout failed: invoice INV-000001 of Eve" Bcc: x@evil.test');
    expect(m.html).not.toMatch(/<script>|<img/);
    expect(m.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(m.text).toContain('(123456 JPY) to Eve"');
  });

  it('lists a digest as a table in HTML and as lines in text', () => {
    const m = renderMail({
      kind: 'unattributed_digest',
      companyName: 'Acme',
      day: '2026-12-02',
      total: 3,
      payments: [{ id: 'pay_1', amount: { amount: 1050, currency: 'usd' }, email: '<x>@y.test', paidAt: '2026-12-02T10:00:00.000Z' }],
    });
    expect(m.subject).toBe('3 new unattributed payments on 2026-12-02');
    expect(m.text).toContain('pay_1 | 10.50 USD | <x>@y.test | 2026-12-02T10:00:00.000Z');
    expect(m.text).toContain('The first 1 are listed');
    expect(m.html).toContain('<td>&lt;x&gt;@y.test</td>');
  });

  it('a login link cannot be switched off; other kinds can', () => {
    expect(isSwitchedOff('login_link', ['login_link'])).toBe(false);
    expect(isSwitchedOff('invoice_paid', ['invoice_paid'])).toBe(true);
    expect(isSwitchedOff('invoice_paid', [])).toBe(false);
  });
});
