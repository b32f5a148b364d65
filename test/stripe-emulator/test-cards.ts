export type CardOutcome = { kind: 'succeed' } | { kind: 'decline'; code: string; declineCode: string; message: string } | { kind: 'authentication_required' };

export interface TestCard {
  brand: string;
  last4: string;
  funding: 'credit' | 'debit';
  outcome: CardOutcome;
  /** Stripe's decline test cards can't be attached to a customer; `pm_card_chargeCustomerFail` can. */
  attachable: boolean;
}

const declined = (declineCode: string, message: string, code = 'card_declined'): CardOutcome => ({
  kind: 'decline',
  code,
  declineCode,
  message,
});

/** Stripe's documented test PaymentMethod tokens (https://docs.stripe.com/testing). */
export const TEST_CARDS: Record<string, TestCard> = {
  pm_card_visa: { brand: 'visa', last4: '4242', funding: 'credit', outcome: { kind: 'succeed' }, attachable: true },
  pm_card_visa_debit: { brand: 'visa', last4: '5556', funding: 'debit', outcome: { kind: 'succeed' }, attachable: true },
  pm_card_mastercard: { brand: 'mastercard', last4: '4444', funding: 'credit', outcome: { kind: 'succeed' }, attachable: true },
  pm_card_amex: { brand: 'amex', last4: '8431', funding: 'credit', outcome: { kind: 'succeed' }, attachable: true },
  pm_card_chargeDeclined: {
    brand: 'visa',
    last4: '0002',
    funding: 'credit',
    outcome: declined('generic_decline', 'Your card was declined.'),
    attachable: false,
  },
  pm_card_chargeCustomerFail: {
    brand: 'visa',
    last4: '0341',
    funding: 'credit',
    outcome: declined('generic_decline', 'Your card was declined.'),
    attachable: true,
  },
  pm_card_chargeDeclinedInsufficientFunds: {
    brand: 'visa',
    last4: '9995',
    funding: 'credit',
    outcome: declined('insufficient_funds', 'Your card has insufficient funds.'),
    attachable: false,
  },
  pm_card_chargeDeclinedExpiredCard: {
    brand: 'visa',
    last4: '0069',
    funding: 'credit',
    outcome: declined('expired_card', 'Your card has expired.', 'expired_card'),
    attachable: false,
  },
  pm_card_authenticationRequired: {
    brand: 'visa',
    last4: '3184',
    funding: 'credit',
    outcome: { kind: 'authentication_required' },
    attachable: true,
  },
};
