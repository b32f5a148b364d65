import { useState } from 'react';
import type { CommissionPlanDto, CommissionPlanResponse } from '@partnerflow/client';
import { currencyExponent, decimalOf, formatMoney, parseMoney } from '../lib/money';
import { errorFor, SelectField, TextField } from './fields';

export interface PlanDraft {
  type: 'percentage' | 'flat';
  percent: string;
  amount: string;
  currency: string;
  limit: 'none' | 'months' | 'first';
  durationMonths: string;
}

export function draftOf(plan: CommissionPlanResponse | null | undefined, fallbackCurrency: string): PlanDraft {
  const currency = plan?.currency ?? fallbackCurrency;
  return {
    type: plan?.type ?? 'percentage',
    percent: plan?.percent !== undefined && plan?.percent !== null ? String(plan.percent) : '20',
    amount: plan?.amount !== undefined && plan?.amount !== null ? decimalOf(plan.amount, safeExponent(currency)) : '',
    currency,
    limit: plan?.firstPaymentOnly ? 'first' : plan?.durationMonths ? 'months' : 'none',
    durationMonths: plan?.durationMonths ? String(plan.durationMonths) : '12',
  };
}

const safeExponent = (currency: string) => {
  try {
    return currencyExponent(currency);
  } catch {
    return 2;
  }
};

/** The request body for a draft, or a message for the field the browser can already tell is wrong. */
export function planOf(d: PlanDraft): { plan: CommissionPlanDto } | { field: string; message: string } {
  const limits = d.limit === 'first' ? { firstPaymentOnly: true } : d.limit === 'months' ? { durationMonths: Number(d.durationMonths) } : {};
  if (d.type === 'percentage') {
    const percent = Number(d.percent);
    if (!d.percent.trim() || !Number.isFinite(percent)) return { field: 'percent', message: 'Enter a percentage, e.g. 20' };
    return { plan: { type: 'percentage', percent, ...limits } };
  }
  let amount: number | undefined;
  try {
    amount = parseMoney(d.amount, d.currency);
  } catch {
    return { field: 'currency', message: 'Unknown currency code' };
  }
  if (amount === undefined) return { field: 'amount', message: `Enter an amount with at most ${safeExponent(d.currency)} decimals` };
  return { plan: { type: 'flat', amount, currency: d.currency.toLowerCase(), ...limits } };
}

export const describePlan = (p: CommissionPlanResponse | null | undefined): string => {
  if (!p) return 'none';
  const base = p.type === 'percentage' ? `${p.percent}% of each payment’s net` : `${formatMoney(p.amount ?? 0, p.currency ?? 'usd')} per payment`;
  return p.firstPaymentOnly ? `${base}, first payment only` : p.durationMonths ? `${base}, for ${p.durationMonths} months` : base;
};

/** The fields of a commission plan; `error` is the API's problem, `prefix` where its fields sit (`commissionPlan`). */
export function PlanFields({
  draft,
  onChange,
  error,
  prefix,
  localError,
}: {
  draft: PlanDraft;
  onChange: (d: PlanDraft) => void;
  error: unknown;
  prefix: string;
  localError?: { field: string; message: string };
}) {
  const fieldError = (name: string) => (localError?.field === name ? localError.message : errorFor(error, `${prefix}.${name}`));
  const set = <K extends keyof PlanDraft>(key: K, value: PlanDraft[K]) => onChange({ ...draft, [key]: value });
  return (
    <div className="form-grid">
      <SelectField label="Commission" value={draft.type} onChange={(e) => set('type', e.target.value as PlanDraft['type'])} error={fieldError('type')}>
        <option value="percentage">Percentage of each payment</option>
        <option value="flat">Flat amount per payment</option>
      </SelectField>
      {draft.type === 'percentage' ? (
        <TextField
          label="Percent"
          inputMode="decimal"
          value={draft.percent}
          onChange={(e) => set('percent', e.target.value)}
          error={fieldError('percent')}
          hint="Of the payment’s net amount (excluding tax)."
        />
      ) : (
        <>
          <TextField label="Amount" inputMode="decimal" value={draft.amount} onChange={(e) => set('amount', e.target.value)} error={fieldError('amount')} />
          <TextField
            label="Currency"
            value={draft.currency}
            maxLength={3}
            onChange={(e) => set('currency', e.target.value.toLowerCase())}
            error={fieldError('currency')}
          />
        </>
      )}
      <SelectField label="Applies to" value={draft.limit} onChange={(e) => set('limit', e.target.value as PlanDraft['limit'])}>
        <option value="none">Every payment of the customer</option>
        <option value="months">Payments in the customer’s first months</option>
        <option value="first">The customer’s first payment only</option>
      </SelectField>
      {draft.limit === 'months' && (
        <TextField
          label="Months"
          inputMode="numeric"
          value={draft.durationMonths}
          onChange={(e) => set('durationMonths', e.target.value)}
          error={fieldError('durationMonths')}
        />
      )}
    </div>
  );
}

export function usePlanDraft(plan: CommissionPlanResponse | null | undefined, currency: string) {
  return useState<PlanDraft>(() => draftOf(plan, currency));
}
