import { describe, it, expect } from '@jest/globals';
import { decideSettings, evolveCompany, initialCompany, DEFAULT_SCHEDULE } from './company.js';
import type { RecordedEvent } from '../../../libs/event-store/event-store.port.js';

const recorded = (type: string, data: Record<string, unknown>, version = 1): RecordedEvent =>
  ({ streamId: 'company-c1', type, data, version, globalPosition: version, checkpoint: `1/${version}`, occurredAt: new Date(0), schemaVersion: 1, metadata: {} });

describe('company decider', () => {
  const created = evolveCompany(initialCompany, recorded('CompanyCreated', { companyId: 'c1', name: 'Acme', currency: 'usd', invoiceSchedule: DEFAULT_SCHEDULE, commissionPlan: { type: 'percentage', percent: 20 }, adminKeyHash: 'h' }));

  it('records only the settings that change', () => {
    expect(decideSettings(created, 'c1', { currency: 'eur', name: 'Acme' })).toEqual([{ type: 'CompanySettingsChanged', data: { companyId: 'c1', currency: 'eur' } }]);
  });

  it('decides nothing for a patch equal to the current settings', () => {
    expect(decideSettings(created, 'c1', { currency: 'usd', invoiceSchedule: { ...DEFAULT_SCHEDULE } })).toEqual([]);
  });

  it('evolves a settings change into the state', () => {
    const next = evolveCompany(created, recorded('CompanySettingsChanged', { companyId: 'c1', commissionPlan: { type: 'flat', amount: 500, currency: 'usd' } }, 2));
    expect(next.commissionPlan).toEqual({ type: 'flat', amount: 500, currency: 'usd' });
    expect(next.currency).toBe('usd');
  });
});
