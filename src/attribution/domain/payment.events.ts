/** The payment events other modules subscribe to (Commissions, Audit). Amounts are minor units. */

export type AttributionMethod = 'customer_id' | 'email' | 'client_reference_id' | 'promotion_code' | 'manual';

/**
 * SPEC §11: metadata `partnerflow: "false"` on the Stripe invoice, its subscription, the customer or the charge. The
 * payment is recorded and attributed, but earns no commission; `where` names the object, `reason` says it in words.
 */
export type CommissionExclusion = { where: 'invoice' | 'subscription' | 'customer' | 'charge'; reason: string };

export const paymentStream = (companyId: string, paymentId: string) => `payment-${companyId}-${paymentId}`;

export type PaymentRecorded = {
  type: 'PaymentRecorded';
  data: {
    paymentId: string;
    companyId: string;
    stripeObjectId: string;
    chargeId: string | null;
    paymentIntentId: string | null;
    invoiceId: string | null;
    customerId: string | null;
    email: string | null;
    amount: number;
    tax: number;
    net: number;
    currency: string;
    paidAt: string;
    stripeEventId: string;
    /** Promotion code ids (`promo_…`) and codes the invoice used, when it used any (SPEC §10). */
    promotionCodes?: string[];
    commissionExcluded?: CommissionExclusion;
  };
};

export type PaymentAttributed = {
  type: 'PaymentAttributed';
  data: {
    paymentId: string;
    companyId: string;
    leadId: string;
    partnerId: string;
    method: AttributionMethod;
    trace: string[];
    customerId: string | null;
    amount: number;
    tax: number;
    net: number;
    currency: string;
    paidAt: string;
    /** Refunded before this attribution (a refund can precede a retroactive attribution). */
    refundedAmount?: number;
    /** The paying customer's email, for the fraud checks (absent on events recorded before them). */
    email?: string | null;
    commissionExcluded?: CommissionExclusion;
  };
};

export type PaymentUnattributed = { type: 'PaymentUnattributed'; data: { paymentId: string; companyId: string; trace: string[] } };

/** A refund or a lost dispute; `amount` is this reversal, `refundedTotal` the payment's total so far. */
export type PaymentRefunded = {
  type: 'PaymentRefunded';
  data: {
    paymentId: string;
    companyId: string;
    reversalId: string;
    reason: 'refund' | 'dispute_lost';
    amount: number;
    refundedTotal: number;
    currency: string;
    occurredAt: string;
    /** The payment's amount, for proportional reversals. */
    paymentAmount?: number;
    chargeId?: string | null;
    /** refund: the charge's cumulative `amount_refunded` this reversal brings the payment to. */
    chargeRefundedTotal?: number;
    disputeId?: string | null;
    stripeEventId?: string;
  };
};

export type PaymentEvent = PaymentRecorded | PaymentAttributed | PaymentUnattributed | PaymentRefunded;
