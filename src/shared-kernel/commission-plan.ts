export type CommissionPlan =
  | { type: 'percentage'; percent: number; durationMonths?: number; firstPaymentOnly?: boolean }
  | { type: 'flat'; amount: number; currency: string; durationMonths?: number; firstPaymentOnly?: boolean };

export const DEFAULT_COMMISSION_PLAN: CommissionPlan = { type: 'percentage', percent: 20 };
