import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { notFound } from '../../../../libs/http/domain-error.js';
import {
  companyBillingRef,
  decideCustomerCreated,
  decideRefuseMethod,
  decideRequestCustomer,
  decideSaveCard,
  platformCustomerRef,
  type CompanyBillingState,
  type CompanyPaymentMethodRefused,
  type CompanyPaymentMethodSaved,
} from '../../domain/billing.js';

/**
 * The payouts module's requests on the company's billing (the company stream is this module's): the platform customer
 * asked for once (its idempotency key recorded before Stripe is called), then recorded; a saved payment method.
 */
export class RequestPlatformCustomer extends Command<CompanyBillingState> {
  constructor(readonly companyId: string) {
    super();
  }
}

/** Answers the customer the company has now: the first one recorded wins. */
export class RecordPlatformCustomer extends Command<string> {
  constructor(
    readonly companyId: string,
    readonly customerId: string,
  ) {
    super();
  }
}

export type SavedPaymentMethod =
  ({ kind: 'card' } & Omit<CompanyPaymentMethodSaved['data'], 'companyId'>) | ({ kind: 'refused' } & Omit<CompanyPaymentMethodRefused['data'], 'companyId'>);

export class RecordCompanyPaymentMethod extends Command<void> {
  constructor(
    readonly companyId: string,
    readonly method: SavedPaymentMethod,
  ) {
    super();
  }
}

@CommandHandler(RequestPlatformCustomer)
export class RequestPlatformCustomerHandler implements ICommandHandler<RequestPlatformCustomer> {
  constructor(private readonly es: EventSourcing) {}

  async execute({ companyId }: RequestPlatformCustomer): Promise<CompanyBillingState> {
    const { result } = await this.es.handle(randomUUID(), async (ctx) => {
      const billing = await ctx.load(companyBillingRef(companyId));
      if (!billing.state.exists) throw notFound('company', companyId);
      const events = decideRequestCustomer(billing.state, companyId);
      ctx.append(billing, events);
      return events.reduce((s, e) => billingAfter(s, e), billing.state);
    });
    return result;
  }
}

const billingAfter = (state: CompanyBillingState, e: ReturnType<typeof decideRequestCustomer>[number]): CompanyBillingState => ({
  ...state,
  request: { idempotencyKey: e.data.idempotencyKey, name: e.data.name },
});

@CommandHandler(RecordPlatformCustomer)
export class RecordPlatformCustomerHandler implements ICommandHandler<RecordPlatformCustomer> {
  constructor(private readonly es: EventSourcing) {}

  /** The claim first (no_stream), then the company's event: a claim left by a crash is this company's and is completed. */
  async execute({ companyId, customerId }: RecordPlatformCustomer): Promise<string> {
    const { result } = await this.es.handle(`platform-customer:${companyId}:${customerId}`, async (ctx) => {
      const [billing, claim] = await Promise.all([ctx.load(companyBillingRef(companyId)), ctx.load(platformCustomerRef(customerId))]);
      const decision = decideCustomerCreated(billing.state, companyId, customerId, claim.state);
      ctx.append(claim, decision.claim, 'no_stream');
      ctx.append(billing, decision.events);
      return billing.state.customerId ?? customerId;
    });
    return result;
  }
}

@CommandHandler(RecordCompanyPaymentMethod)
export class RecordCompanyPaymentMethodHandler implements ICommandHandler<RecordCompanyPaymentMethod> {
  constructor(private readonly es: EventSourcing) {}

  async execute({ companyId, method }: RecordCompanyPaymentMethod): Promise<void> {
    await this.es.handle(`payment-method:${companyId}:${method.setupIntentId}`, async (ctx) => {
      const billing = await ctx.load(companyBillingRef(companyId));
      const { kind, ...details } = method;
      if (kind === 'card' && 'brand' in details) ctx.append(billing, decideSaveCard(billing.state, companyId, details));
      else if (kind === 'refused' && 'paymentMethodType' in details) ctx.append(billing, decideRefuseMethod(billing.state, companyId, details));
    });
  }
}
