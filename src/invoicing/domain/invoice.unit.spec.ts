import { describe, it, expect } from '@jest/globals';
import type { Event } from '../../../libs/event-store/event-store.port.js';
import { DomainError } from '../../../libs/http/domain-error.js';
import { decideApprove, decideMarkPaid, decideVoid, evolveInvoice, initialInvoice, type InvoiceEvent, type InvoiceState } from './invoice.js';

const ids = { invoiceId: 'inv_1', companyId: 'co_1' };
const given = (...events: Event[]): InvoiceState => events.reduce(evolveInvoice, initialInvoice);
const generated: InvoiceEvent = {
  type: 'InvoiceGenerated',
  data: {
    ...ids,
    partnerId: 'pa_1',
    number: 'INV-000001',
    sequence: 1,
    currency: 'eur',
    total: 1847,
    periodStart: '2025-03-01',
    periodEnd: '2025-03-31',
    lines: [
      {
        commissionId: 'cm_1',
        amount: 2000,
        currency: 'usd',
        fxRate: '0.9234',
        fxRateId: 'r',
        fxAsOf: '2025-03-31',
        fxSource: 'ecb',
        fxInverted: false,
        convertedAmount: 1847,
      },
    ],
  },
};
const approved = { type: 'InvoiceApproved', data: { ...ids, partnerId: 'pa_1' } };
const paid = { type: 'InvoicePaid', data: { ...ids, partnerId: 'pa_1', method: 'manual', reference: 'r', paymentIntentId: null, paidAt: '2025-04-02' } };
const voided = { type: 'InvoiceVoided', data: { ...ids, partnerId: 'pa_1', commissionIds: ['cm_1'] } };

const statusOfConflict = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).status).toBe(409);
    return (e as DomainError).extra.currentStatus;
  }
  throw new Error('expected a conflict');
};

describe('invoice lifecycle', () => {
  it('pending_approval → approve → mark paid', () => {
    const state = given(generated);
    expect(state).toMatchObject({ exists: true, status: 'pending_approval', commissionIds: ['cm_1'], currency: 'eur', total: 1847 });
    expect(decideApprove(state, ids)).toEqual([approved]);
    expect(decideMarkPaid(given(generated, approved), ids, 'SEPA-1', '2025-04-02')).toEqual([
      { type: 'InvoicePaid', data: { ...ids, partnerId: 'pa_1', method: 'manual', reference: 'SEPA-1', paymentIntentId: null, paidAt: '2025-04-02' } },
    ]);
  });

  it('knows the commissions of an invoice whose lines are recorded compactly', () => {
    const compact = {
      type: 'InvoiceGenerated',
      data: {
        ...generated.data,
        lines: [
          { commissionId: 'cm_1', amount: 2000, currency: 'usd', convertedAmount: 1847 },
          { commissionId: 'cm_2', amount: 5, currency: 'eur' },
        ],
        fx: { usd: { rate: '0.9234', rateId: 'r', asOf: '2025-03-31', source: 'ecb', inverted: false } },
      },
    };
    expect(given(compact)).toMatchObject({ exists: true, commissionIds: ['cm_1', 'cm_2'], total: 1847 });
    expect(decideVoid(given(compact), ids)).toEqual([{ ...voided, data: { ...voided.data, commissionIds: ['cm_1', 'cm_2'] } }]);
  });

  it('approving twice changes nothing', () => {
    expect(decideApprove(given(generated, approved), ids)).toEqual([]);
  });

  it('voids before payment, naming its commissions; voiding twice changes nothing', () => {
    expect(decideVoid(given(generated), ids)).toEqual([voided]);
    expect(decideVoid(given(generated, approved), ids)).toEqual([voided]);
    expect(decideVoid(given(generated, voided), ids)).toEqual([]);
  });

  it.each([
    ['mark paid before approval', () => decideMarkPaid(given(generated), ids, 'r', 'now'), 'pending_approval'],
    ['void a paid invoice', () => decideVoid(given(generated, approved, paid), ids), 'paid'],
    ['approve a void invoice', () => decideApprove(given(generated, voided), ids), 'void'],
    ['mark a void invoice paid', () => decideMarkPaid(given(generated, voided), ids, 'r', 'now'), 'void'],
    ['approve a paid invoice', () => decideApprove(given(generated, approved, paid), ids), 'paid'],
  ])('refuses to %s with 409 naming the current status', (_label, fn, status) => {
    expect(statusOfConflict(fn)).toBe(status);
  });
});
