import type Stripe from 'stripe';

/**
 * The Stripe type every emulator object must match, by the name `shapes.spec.ts` checks it under. The `stripe`
 * package's types describe the API version it pins (`Stripe.API_VERSION`), so these are the shapes of that version;
 * older versions' extra fields are checked there as exceptions, each named.
 */
export interface StripeShapes {
  account: Stripe.Account;
  accountLink: Stripe.AccountLink;
  charge: Stripe.Charge;
  checkoutSession: Stripe.Checkout.Session;
  customer: Stripe.Customer;
  discount: Stripe.Discount;
  dispute: Stripe.Dispute;
  event: Stripe.Event;
  invoice: Stripe.Invoice;
  invoicePayment: Stripe.InvoicePayment;
  paymentIntent: Stripe.PaymentIntent;
  paymentIntentError: Stripe.PaymentIntent.LastPaymentError;
  paymentMethod: Stripe.PaymentMethod;
  promotionCode: Stripe.PromotionCode;
  refund: Stripe.Refund;
  setupIntent: Stripe.SetupIntent;
  webhookEndpoint: Stripe.WebhookEndpoint;
  list: Stripe.ApiList<Stripe.Customer>;
}
