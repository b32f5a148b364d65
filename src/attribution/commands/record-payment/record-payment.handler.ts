import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { WrongExpectedVersion, type RecordedEvent, type StreamAppend } from '../../../../libs/event-store/event-store.port.js';
import { LeadsQuery } from '../../queries/leads/leads.query.js';
import { createHash } from 'node:crypto';
import { decideLink, evolveLead, initialLead, leadStream, type LeadCreated, type LeadState } from '../../domain/lead.js';
import { promotionCodeOwner } from '../../../partners/index.js';
import { customerStream, evolveCustomer, initialCustomer, type CustomerPaymentRecorded, type CustomerState } from '../../domain/customer.js';
import { decideAttribution, decideRecordPayment, type AttributionInput, type PaymentFacts } from '../../domain/payment.js';
import { paymentStream } from '../../domain/payment.events.js';
import { evolvePaymentRef, initialPaymentRef, parkedReversals, paymentRefStream, type PaymentReferenceRecorded } from '../../domain/payment-ref.js';
import { checkoutPaymentStream, evolveCheckoutPayment, initialCheckoutPayment, type CheckoutPaymentRecorded, type CheckoutPaymentState } from '../../domain/checkout-payment.js';

/**
 * Records a Stripe payment once (its id is derived from the Stripe object) and attributes it.
 * `beforeEmailLookup` runs before the leads read model is searched by email (the reactor waits there
 * until the leads stored before the payment are visible); a customer already claimed needs no lookup.
 */
export class RecordPayment {
  constructor(
    readonly facts: PaymentFacts,
    readonly refs: string[],
    readonly beforeEmailLookup?: () => Promise<void>,
    /**
     * Record nothing when one of `refs` already belongs to another payment: a charge of API ≥ 2025-03-31 whose
     * payment intent an InvoicePayment linked to its invoice's payment. Checked on the streams appended at the
     * version read, so a link racing this payment is seen on the retry.
     */
    readonly opts: { unlessReferenced?: boolean; customerChecked?: boolean } = {},
  ) {}
}

/** SPEC §11: when Stripe was not asked for the customer, the last customer.created/updated event's metadata decides. */
function withCustomerExclusion(facts: PaymentFacts, seen: CustomerState['exclusion'], checked: boolean): PaymentFacts {
  if (facts.commissionExcluded || checked || !seen?.excluded) return facts;
  return { ...facts, commissionExcluded: { where: 'customer', reason: `metadata partnerflow: "false" on customer ${facts.customerId} (${seen.stripeEventId})` } };
}

type Loaded<S> = { state: S; version: number };
/** The lead a decision may link the customer to (and create, for a promotion code's partner without one). */
type FoundLead = { leadId: string; create?: LeadCreated } & Loaded<LeadState>;
type Lookup = { input: AttributionInput; emailLead?: FoundLead; promotionLead?: FoundLead };

@CommandHandler(RecordPayment)
export class RecordPaymentHandler implements ICommandHandler<RecordPayment, { recorded: boolean; referencedBy?: string }> {
  constructor(private readonly es: EventSourcing, private readonly leads: LeadsQuery) {}

  async execute({ facts, refs, beforeEmailLookup, opts }: RecordPayment): Promise<{ recorded: boolean; referencedBy?: string }> {
    const { companyId, paymentId, customerId } = facts;
    const stream = paymentStream(companyId, paymentId);
    // A payment with no customer may be a guest checkout's: its payment intent is then what names the lead.
    const guestIntent = customerId ? null : facts.paymentIntentId;
    for (let attempt = 0; ; attempt++) {
      // No read of the payment stream: it is appended first with `no_stream`, so a payment recorded before
      // (or meanwhile) fails the whole append on that stream, whatever the store (see below).
      const [customer, checkout, refStates] = await Promise.all([
        customerId ? this.es.load(customerStream(companyId, customerId), initialCustomer, evolveCustomer) : null,
        guestIntent ? this.es.load(checkoutPaymentStream(companyId, guestIntent), initialCheckoutPayment, evolveCheckoutPayment) : null,
        Promise.all(refs.map(async (ref) => ({ ref, ...(await this.es.load(paymentRefStream(companyId, ref), initialPaymentRef, evolvePaymentRef)) }))),
      ]);
      const other = refStates.find((r) => r.state.paymentId !== null && r.state.paymentId !== paymentId)?.state.paymentId;
      if (opts.unlessReferenced && other) return { recorded: false, referencedBy: other };
      const found = await this.lookup(facts, customer?.state.claim ?? null, checkout?.state ?? null, beforeEmailLookup);
      const decision = decideAttribution(facts, found.input);
      const events = decideRecordPayment(withCustomerExclusion(facts, customer?.state.exclusion ?? null, opts.customerChecked ?? true), decision, parkedReversals(refStates.map((r) => r.state)));

      const appends: StreamAppend[] = [{ streamId: stream, events, expectedVersion: 'no_stream' }];
      for (const r of refStates.filter((x) => x.state.paymentId === null)) {
        const referenced: PaymentReferenceRecorded = { type: 'PaymentReferenceRecorded', data: { companyId, ref: r.ref, paymentId } };
        appends.push({ streamId: paymentRefStream(companyId, r.ref), events: [referenced], expectedVersion: r.version });
      }
      if (customer && customerId) {
        const seen: CustomerPaymentRecorded = { type: 'CustomerPaymentRecorded', data: { companyId, customerId, paymentId } };
        const claim: StreamAppend['events'] = [];
        const promoted = decision.status === 'attributed' && decision.method === 'promotion_code' ? found.promotionLead : undefined;
        if (promoted && decision.status === 'attributed' && decision.linkCustomer) {
          const link = decideLink(promoted.state, { leadId: promoted.leadId, companyId }, customer, customerId, 'promotion_code');
          if (!link.taken) {
            claim.push(...link.also.flatMap((a) => a.events));
            appends.push({ streamId: leadStream(companyId, promoted.leadId), events: [...(promoted.create ? [promoted.create] : []), ...link.events], expectedVersion: promoted.create ? 'no_stream' : promoted.version });
          }
        } else if (decision.status === 'attributed' && decision.saveCustomerOnLead && found.emailLead?.leadId === decision.leadId) {
          // The lead as the decision saw it: appended at that version, so a link made since is re-read, never overwritten.
          const lead = found.emailLead;
          const link = decideLink(lead.state, { leadId: decision.leadId, companyId }, customer, customerId, 'email');
          if (!link.taken) {
            claim.push(...link.also.flatMap((a) => a.events));
            appends.push({ streamId: leadStream(companyId, decision.leadId), events: link.events, expectedVersion: lead.version });
          }
        }
        appends.push({ streamId: customerStream(companyId, customerId), events: [...claim, seen], expectedVersion: customer.version });
      } else if (decision.status === 'attributed' && decision.method === 'promotion_code' && found.promotionLead?.create) {
        appends.push({ streamId: leadStream(companyId, found.promotionLead.leadId), events: [found.promotionLead.create], expectedVersion: 'no_stream' });
      }
      if (checkout && guestIntent) {
        const seen: CheckoutPaymentRecorded = { type: 'CheckoutPaymentRecorded', data: { companyId, paymentIntentId: guestIntent, paymentId } };
        appends.push({ streamId: checkoutPaymentStream(companyId, guestIntent), events: [seen], expectedVersion: checkout.version });
      }
      try {
        await this.es.appendMany(appends);
        return { recorded: true };
      } catch (e) {
        if (!(e instanceof WrongExpectedVersion)) throw e;
        if (e.streamId === stream) return { recorded: false };
        // A link, refund or the lead changed meanwhile: decide again on what is there now.
        if (attempt >= 5) throw e;
      }
    }
  }

  private async lookup(facts: PaymentFacts, claim: { leadId: string; method: string | null } | null, checkout: CheckoutPaymentState | null, beforeEmailLookup?: () => Promise<void>): Promise<Lookup> {
    if (claim) {
      const holder = await this.es.load(leadStream(facts.companyId, claim.leadId), initialLead, evolveLead);
      return { input: { customerHolder: { leadId: claim.leadId, partnerId: holder.state.partnerId, linkMethod: claim.method }, emailLead: null } };
    }
    if (checkout?.claim) {
      const holder = await this.es.load(leadStream(facts.companyId, checkout.claim.leadId), initialLead, evolveLead);
      return { input: { customerHolder: null, checkoutHolder: { ...checkout.claim, partnerId: holder.state.partnerId }, emailLead: null } };
    }
    const promotion = await this.promotion(facts, beforeEmailLookup);
    if (promotion?.input.promotion?.leadId) return promotion;
    if (!facts.email) return { input: { customerHolder: null, emailLead: null, promotion: promotion?.input.promotion ?? null } };
    await beforeEmailLookup?.();
    const matches = await this.leads.byEmail(facts.companyId, facts.email);
    const leadId = matches[0]?.leadId;
    if (!leadId) return { input: { customerHolder: null, emailLead: null, promotion: promotion?.input.promotion ?? null } };
    const lead = await this.es.load(leadStream(facts.companyId, leadId), initialLead, evolveLead);
    return { input: { customerHolder: null, emailLead: { leadId, partnerId: lead.state.partnerId, customerId: lead.state.customerId }, emailMatches: matches, promotion: promotion?.input.promotion ?? null }, emailLead: { leadId, ...lead } };
  }

  /** The partner of the first of the payment's promotion codes that one holds, and its lead for this payment. */
  private async promotion(facts: PaymentFacts, beforeEmailLookup?: () => Promise<void>): Promise<Lookup | null> {
    for (const code of facts.promotionCodes ?? []) {
      const partnerId = await promotionCodeOwner(this.es.store, facts.companyId, code);
      if (!partnerId) continue;
      const none = { input: { customerHolder: null, emailLead: null, promotion: { code, partnerId, leadId: null, created: false } } };
      if (!facts.email) return none;
      await beforeEmailLookup?.();
      const [known] = await this.leads.idsByEmail(facts.companyId, facts.email, partnerId);
      if (known) {
        const lead = await this.es.load(leadStream(facts.companyId, known), initialLead, evolveLead);
        return { input: { ...none.input, promotion: { code, partnerId, leadId: known, created: false } }, promotionLead: { leadId: known, ...lead } };
      }
      // One lead per payment, so a retried record finds the lead it creates.
      const leadId = `ld_${createHash('sha256').update(`${facts.companyId}:${facts.paymentId}`).digest('hex').slice(0, 32)}`;
      const create: LeadCreated = { type: 'LeadCreated', data: { leadId, companyId: facts.companyId, partnerId, email: facts.email, name: null } };
      return {
        input: { ...none.input, promotion: { code, partnerId, leadId, created: true } },
        promotionLead: { leadId, create, state: evolveLead(initialLead, create as unknown as RecordedEvent), version: 0 },
      };
    }
    return null;
  }
}
