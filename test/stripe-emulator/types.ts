export type Obj = Record<string, any>;
export type Params = Record<string, any>;

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  params: Params;
  idempotencyKey?: string;
  requestId: string;
  account?: string;
}

export interface StripeEvent {
  id: string;
  object: 'event';
  account?: string;
  api_version: string;
  created: number;
  data: { object: Obj; previous_attributes?: Obj };
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: string;
}

export interface FaultSpec {
  method?: string;
  pathPrefix: string;
  status?: number;
  delayMs?: number;
  count?: number;
  afterEffect?: boolean;
  /** Overrides the error code of the injected body (e.g. 'lock_timeout' for a 429). */
  code?: string;
  message?: string;
  /** Sends `Stripe-Should-Retry: true|false`; defaults to true for code 'lock_timeout'. */
  shouldRetry?: boolean;
}

export type ObjectKind =
  | 'payment_intents'
  | 'customers'
  | 'accounts'
  | 'setup_intents'
  | 'payment_methods'
  | 'account_links'
  | 'charges'
  | 'invoice_payments'
  | 'webhook_endpoints'
  | 'invoices'
  | 'promotion_codes'
  | 'discounts';
