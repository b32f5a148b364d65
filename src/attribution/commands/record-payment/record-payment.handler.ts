import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import type { NewEvent } from '../../../../libs/event-store/event-store.port.js';
import { LeadsQuery } from '../../queries/leads/leads.query.js';
import { createHash, randomUUID } from 'node:crypto';
import { decideLink, evolveLead, initialLead, leadStream, type LeadCreated, type LeadState } from '../../domain/lead.js';
import { promotionCodeOwner } from '../../../partners/index.js';
import { customerStream, evolveCustomer, initialCustomer, type CustomerPaymentRecorded, type CustomerState } from '../../domain/customer.js';
import {
  decideAttribution,
  decideLateAttribution,
  decideRecordPayment,
  decideReversals,
  evolvePayment,
  initialPayment,
  type AttributionInput,
  type PaymentFacts,
} from '../../domain/payment.js';
import { paymentStream } from '../../domain/payment.events.js';
import { evolvePaymentRef, initialPaymentRef, parkedReversals, paymentRefStream, type PaymentReferenceRecorded } from '../../domain/payment-ref.js';
import {
  checkoutPaymentStream,
  evolveCheckoutPayment,
  initialCheckoutPayment,
  type CheckoutPaymentRecorded,
  type CheckoutPaymentState,
} from '../../domain/checkout-payment.js';

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
  return {
    ...facts,
    commissionExcluded: { where: 'customer', reason: `metadata partnerflow: "false" on customer ${facts.customerId} (${seen.stripeEventId})` },
  };
}

type Loaded<S> = { state: S; version: number };
type LoadLead = (leadId: string) => Promise<Loaded<LeadState>>;
/** The lead a decision may link the customer to (and create, for a promotion code's partner without one). */
type FoundLead = { leadId: string; create?: LeadCreated } & Loaded<LeadState>;
type Lookup = { input: AttributionInput; emailLead?: FoundLead; promotionLead?: FoundLead };

@CommandHandler(RecordPayment)
export class RecordPaymentHandler implements ICommandHandler<RecordPayment, { recorded: boolean; referencedBy?: string }> {
  constructor(
    private readonly es: EventSourcing,
    private readonly leads: LeadsQuery,
  ) {}

  /**
   * The payment stream is written first (`no_stream`): it is the decision. What follows it (its references, the customer's
   * and guest checkout's lists, the lead's link, parked reversals applied) is derived from it and completed by any
   * later attempt: a version conflict on one of them (a refund parked meanwhile), or a crash between the streams where
   * `appendMany` is not atomic (EventStoreDB), leaves the payment recorded, and the next attempt, or the redelivered
   * webhook, finds it and appends only what is missing (the same event ids, so a write that did land is not doubled).
   */
  async execute({ facts, refs, beforeEmailLookup, opts }: RecordPayment): Promise<{ recorded: boolean; referencedBy?: string }> {
    const { companyId, paymentId, customerId } = facts;
    const stream = paymentStream(companyId, paymentId);
    // A payment with no customer may be a guest checkout's: its payment intent is then what names the lead.
    const guestIntent = customerId ? null : facts.paymentIntentId;
    // The ids this call gave the payment's events: whether the payment found recorded is this call's (an attempt that wrote it, then met a conflict further on).
    const mine = new Set<string>();
    const { result } = await this.es.handle(`record-payment:${stream}`, async (ctx): Promise<{ recorded: boolean; referencedBy?: string }> => {
      const [payment, customer, checkout, refStates] = await Promise.all([
        ctx.loadStream(stream, initialPayment, evolvePayment),
        customerId ? ctx.loadStream(customerStream(companyId, customerId), initialCustomer, evolveCustomer) : null,
        guestIntent ? ctx.loadStream(checkoutPaymentStream(companyId, guestIntent), initialCheckoutPayment, evolveCheckoutPayment) : null,
        Promise.all(refs.map(async (ref) => ({ ref, ...(await ctx.loadStream(paymentRefStream(companyId, ref), initialPaymentRef, evolvePaymentRef)) }))),
      ]);
      const recorded = payment.state.facts !== null;
      const other = refStates.find((r) => r.state.paymentId !== null && r.state.paymentId !== paymentId)?.state.paymentId;
      if (!recorded && opts.unlessReferenced && other) return { recorded: false, referencedBy: other };
      const loadLead = (leadId: string) => ctx.loadStream(leadStream(companyId, leadId), initialLead, evolveLead);
      const found = await this.lookup(loadLead, facts, customer?.state.claim ?? null, checkout?.state ?? null, beforeEmailLookup);
      const parked = parkedReversals(refStates.map((r) => r.state));
      let decision = decideAttribution(facts, found.input);
      if (!recorded) {
        // Fresh event ids: of deliveries racing, one writes the payment and the others find it (a shared id would make theirs idempotent successes).
        const events = decideRecordPayment(withCustomerExclusion(facts, customer?.state.exclusion ?? null, opts.customerChecked ?? true), decision, parked).map(
          (e) => ({ ...e, id: randomUUID() }),
        );
        events.forEach((e) => mine.add(e.id));
        ctx.appendRaw(stream, events, 'no_stream');
      } else {
        // A customer linked between the payment and its listing on the customer's stream: the link did not see the payment, so attribute it here.
        const late =
          payment.state.attribution?.status === 'unattributed' && decision.status === 'attributed' && found.input.customerHolder
            ? decideLateAttribution(
                payment.state,
                { leadId: decision.leadId, partnerId: decision.partnerId },
                decision.method,
                `customer ${customerId} linked to lead ${decision.leadId} while the payment was recorded`,
              )
            : [];
        ctx.appendRaw(stream, [...late, ...decideReversals(late.reduce(evolvePayment, payment.state), parked)], payment.version);
        // Completing: the lead is linked only as recorded (a decision taken again may differ).
        if (decision.status !== 'attributed' || decision.leadId !== payment.state.attribution?.leadId) decision = { status: 'unattributed', trace: [] };
      }

      for (const r of refStates.filter((x) => x.state.paymentId === null)) {
        const referenced: PaymentReferenceRecorded = { type: 'PaymentReferenceRecorded', data: { companyId, ref: r.ref, paymentId } };
        ctx.appendRaw(paymentRefStream(companyId, r.ref), [referenced], r.version);
      }
      if (customer && customerId) {
        const claim: NewEvent[] = [];
        const promoted = decision.status === 'attributed' && decision.method === 'promotion_code' ? found.promotionLead : undefined;
        if (promoted && decision.status === 'attributed' && decision.linkCustomer) {
          const link = decideLink(promoted.state, { leadId: promoted.leadId, companyId }, customer, customerId, 'promotion_code');
          if (!link.taken) {
            claim.push(...link.also.flatMap((a) => a.events));
            ctx.appendRaw(
              leadStream(companyId, promoted.leadId),
              [...(promoted.create ? [promoted.create] : []), ...link.events],
              promoted.create ? 'no_stream' : promoted.version,
            );
          }
        } else if (decision.status === 'attributed' && decision.saveCustomerOnLead && found.emailLead?.leadId === decision.leadId) {
          // The lead as the decision saw it: appended at that version, so a link made since is re-read, never overwritten.
          const lead = found.emailLead;
          const link = decideLink(lead.state, { leadId: decision.leadId, companyId }, customer, customerId, 'email');
          if (!link.taken) {
            claim.push(...link.also.flatMap((a) => a.events));
            ctx.appendRaw(leadStream(companyId, decision.leadId), link.events, lead.version);
          }
        }
        const seen: CustomerPaymentRecorded[] = customer.state.paymentIds.includes(paymentId)
          ? []
          : [{ type: 'CustomerPaymentRecorded', data: { companyId, customerId, paymentId } }];
        ctx.appendRaw(customerStream(companyId, customerId), [...claim, ...seen], customer.version);
      } else if (decision.status === 'attributed' && decision.method === 'promotion_code' && found.promotionLead?.create) {
        ctx.appendRaw(leadStream(companyId, found.promotionLead.leadId), [found.promotionLead.create], 'no_stream');
      }
      if (checkout && guestIntent && !checkout.state.paymentIds.includes(paymentId)) {
        const seen: CheckoutPaymentRecorded = { type: 'CheckoutPaymentRecorded', data: { companyId, paymentIntentId: guestIntent, paymentId } };
        ctx.appendRaw(checkoutPaymentStream(companyId, guestIntent), [seen], checkout.version);
      }
      return { recorded: !recorded || mine.has(payment.events[0]?.id ?? '') };
    });
    return result;
  }

  private async lookup(
    loadLead: LoadLead,
    facts: PaymentFacts,
    claim: { leadId: string; method: string | null } | null,
    checkout: CheckoutPaymentState | null,
    beforeEmailLookup?: () => Promise<void>,
  ): Promise<Lookup> {
    if (claim) {
      const holder = await loadLead(claim.leadId);
      return { input: { customerHolder: { leadId: claim.leadId, partnerId: holder.state.partnerId, linkMethod: claim.method }, emailLead: null } };
    }
    if (checkout?.claim) {
      const holder = await loadLead(checkout.claim.leadId);
      return { input: { customerHolder: null, checkoutHolder: { ...checkout.claim, partnerId: holder.state.partnerId }, emailLead: null } };
    }
    const promotion = await this.promotion(loadLead, facts, beforeEmailLookup);
    if (promotion?.input.promotion?.leadId) return promotion;
    if (!facts.email) return { input: { customerHolder: null, emailLead: null, promotion: promotion?.input.promotion ?? null } };
    await beforeEmailLookup?.();
    const matches = await this.leads.byEmail(facts.companyId, facts.email);
    const leadId = matches[0]?.leadId;
    if (!leadId) return { input: { customerHolder: null, emailLead: null, promotion: promotion?.input.promotion ?? null } };
    const lead = await loadLead(leadId);
    return {
      input: {
        customerHolder: null,
        emailLead: { leadId, partnerId: lead.state.partnerId, customerId: lead.state.customerId },
        emailMatches: matches,
        promotion: promotion?.input.promotion ?? null,
      },
      emailLead: { leadId, ...lead },
    };
  }

  /** The partner of the first of the payment's promotion codes that one holds, and its lead for this payment. */
  private async promotion(loadLead: LoadLead, facts: PaymentFacts, beforeEmailLookup?: () => Promise<void>): Promise<Lookup | null> {
    for (const code of facts.promotionCodes ?? []) {
      const partnerId = await promotionCodeOwner(this.es.store, facts.companyId, code);
      if (!partnerId) continue;
      const none = { input: { customerHolder: null, emailLead: null, promotion: { code, partnerId, leadId: null, created: false } } };
      if (!facts.email) return none;
      await beforeEmailLookup?.();
      const [known] = await this.leads.idsByEmail(facts.companyId, facts.email, partnerId);
      if (known) {
        const lead = await loadLead(known);
        return { input: { ...none.input, promotion: { code, partnerId, leadId: known, created: false } }, promotionLead: { leadId: known, ...lead } };
      }
      // One lead per payment, so a retried record finds the lead it creates.
      const leadId = `ld_${createHash('sha256').update(`${facts.companyId}:${facts.paymentId}`).digest('hex').slice(0, 32)}`;
      // Created by an earlier attempt (the leads table may not show it yet).
      const made = await loadLead(leadId);
      if (made.version > 0) return { input: { ...none.input, promotion: { code, partnerId, leadId, created: false } }, promotionLead: { leadId, ...made } };
      const create: LeadCreated = { type: 'LeadCreated', data: { leadId, companyId: facts.companyId, partnerId, email: facts.email, name: null } };
      return {
        input: { ...none.input, promotion: { code, partnerId, leadId, created: true } },
        promotionLead: { leadId, create, state: evolveLead(initialLead, create), version: 0 },
      };
    }
    return null;
  }
}
