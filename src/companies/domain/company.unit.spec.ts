import { describe, it, expect } from '@jest/globals';
import { decideSettings, evolveCompany, initialCompany, type CompanyEvent } from './company.js';
import { DEFAULT_SCHEDULE } from '../../shared-kernel/invoice-schedule.js';

const recorded = (type: CompanyEvent['type'], data: Record<string, unknown>, _version = 1) => ({ type, data }) as CompanyEvent;

describe('company decider', () => {
  const created = evolveCompany(
    initialCompany,
    recorded('CompanyCreated', {
      companyId: 'c1',
      name: 'Acme',
      currency: 'usd',
      invoiceSchedule: DEFAULT_SCHEDULE,
      commissionPlan: { type: 'percentage', percent: 20 },
      adminKeyHash: 'h',
    }),
  );

  it('records only the settings that change', () => {
    expect(decideSettings(created, 'c1', { currency: 'eur', name: 'Acme' })).toEqual([
      { type: 'CompanySettingsChanged', data: { companyId: 'c1', currency: 'eur' } },
    ]);
  });

  it('decides nothing for a patch equal to the current settings', () => {
    expect(decideSettings(created, 'c1', { currency: 'usd', invoiceSchedule: { ...DEFAULT_SCHEDULE } })).toEqual([]);
  });

  it('evolves a settings change into the state', () => {
    const next = evolveCompany(
      created,
      recorded('CompanySettingsChanged', { companyId: 'c1', commissionPlan: { type: 'flat', amount: 500, currency: 'usd' } }, 2),
    );
    expect(next.commissionPlan).toEqual({ type: 'flat', amount: 500, currency: 'usd' });
    expect(next.currency).toBe('usd');
  });

  it('commission review: auto with a 0.3 refund rate threshold by default; a change is recorded once', () => {
    expect(created).toMatchObject({ commissionReview: 'auto', fraud: { refundRateThreshold: 0.3 } });
    const [changed] = decideSettings(created, 'c1', { commissionReview: 'manual', fraud: { refundRateThreshold: 0.3 } });
    expect(changed).toEqual({ type: 'CompanySettingsChanged', data: { companyId: 'c1', commissionReview: 'manual' } });
    const manual = evolveCompany(created, recorded(changed!.type, changed!.data, 2));
    expect(manual.commissionReview).toBe('manual');
    expect(decideSettings(manual, 'c1', { commissionReview: 'manual' })).toEqual([]);
  });

  describe('tracking settings', () => {
    it('merges a partial patch into the current settings and issues a publishable key to a company that has none', () => {
      expect(created.tracking).toEqual({ landingUrl: null, cookieDays: 60, model: 'last_click', allowedOrigins: [] });
      const events = decideSettings(created, 'c1', { tracking: { landingUrl: 'https://acme.test/' } }, () => 'pk_new');
      expect(events).toEqual([
        {
          type: 'CompanySettingsChanged',
          data: { companyId: 'c1', tracking: { landingUrl: 'https://acme.test/', cookieDays: 60, model: 'last_click', allowedOrigins: [] } },
        },
        { type: 'CompanyPublishableKeyIssued', data: { companyId: 'c1', publishableKey: 'pk_new' } },
      ]);
      const after = events.reduce(evolveCompany, created);
      expect(after.publishableKey).toBe('pk_new');
      expect(decideSettings(after, 'c1', { tracking: { model: 'first_click' } }, () => 'pk_other')).toEqual([
        {
          type: 'CompanySettingsChanged',
          data: { companyId: 'c1', tracking: { landingUrl: 'https://acme.test/', cookieDays: 60, model: 'first_click', allowedOrigins: [] } },
        },
      ]);
      expect(decideSettings(after, 'c1', { tracking: { cookieDays: 60 } })).toEqual([]);
    });

    it('keeps the publishable key a new company was created with', () => {
      const withKey = evolveCompany(initialCompany, {
        type: 'CompanyCreated',
        data: {
          companyId: 'c2',
          name: 'B',
          currency: 'usd',
          invoiceSchedule: DEFAULT_SCHEDULE,
          commissionPlan: { type: 'percentage', percent: 20 },
          adminKeyHash: 'h',
          publishableKey: 'pk_born',
        },
      });
      expect(decideSettings(withKey, 'c2', { tracking: { cookieDays: 30 } }).map((e) => e.type)).toEqual(['CompanySettingsChanged']);
    });
  });
});
