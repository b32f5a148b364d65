/** Longest `Idempotency-Key` (Stripe's limit). */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;
