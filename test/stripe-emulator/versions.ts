import Stripe from 'stripe';

/** The API version the installed SDK pins; the emulator answers in it unless a request names another one. */
export const DEFAULT_API_VERSION: string = Stripe.API_VERSION;

/** The last version before Basil: invoices still name their charge, charges their invoice. */
export const PRE_BASIL_API_VERSION = '2025-02-24.acacia';

/** From 2025-03-31 ("basil") on, invoices and charges no longer name each other (InvoicePayments link them). */
export const isBasilOrLater = (apiVersion: string): boolean => apiVersion.slice(0, 10) >= '2025-03-31';

/** From 2026-09-30 ("endive") on, `payment_method_types` is no longer accepted on PaymentIntents and SetupIntents. */
export const isEndiveOrLater = (apiVersion: string): boolean => apiVersion.slice(0, 10) >= '2026-09-30';

/** From 2023-08-16 on, an intent created without payment method types turns dynamic payment methods on. */
export const automaticPaymentMethodsByDefault = (apiVersion: string): boolean => apiVersion.slice(0, 10) >= '2023-08-16';
