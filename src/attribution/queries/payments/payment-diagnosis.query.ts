import { Injectable } from '@nestjs/common';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { LeadsQuery } from '../leads/leads.query.js';
import { PaymentsQuery } from './payments.query.js';
import { customerStream, evolveCustomer, initialCustomer } from '../../domain/customer.js';
import { rankCandidates, splitEmail, type Candidate } from '../../domain/diagnosis.js';
import type { DiagnosisResponse } from '../../payment.response.js';

/** Why a payment is (not) attributed, judged against the leads as they are now, and which leads it may belong to. */
@Injectable()
export class PaymentDiagnosisQuery {
  constructor(
    private readonly payments: PaymentsQuery,
    private readonly leads: LeadsQuery,
    private readonly es: EventSourcing,
  ) {}

  async diagnose(companyId: string, paymentId: string): Promise<DiagnosisResponse> {
    const p = await this.payments.get(companyId, paymentId);
    const a = p.attribution;
    if (a.status === 'attributed') {
      return { paymentId, status: a.status, reasons: [`attributed to lead ${a.leadId} of partner ${a.partnerId} by ${a.method}`], candidates: [] };
    }
    const reasons: string[] = [];
    if (p.customerId) {
      const { state } = await this.es.load(customerStream(companyId, p.customerId), initialCustomer, evolveCustomer);
      reasons.push(
        state.claim
          ? `customer ${p.customerId} was linked to lead ${state.claim.leadId} after this payment: PUT /v1/leads/${state.claim.leadId}/stripe-customer with attributePastPayments: true attributes it`
          : `Stripe customer ${p.customerId} is not linked to any lead`,
      );
    } else {
      reasons.push('the payment has no Stripe customer id');
    }
    let candidates: Candidate[] = [];
    if (p.email) {
      const same = await this.leads.byEmail(companyId, p.email);
      const partners = new Set(same.map((l) => l.partnerId));
      if (partners.size > 1) {
        reasons.push(
          `the email ${p.email} is ambiguous: leads of ${partners.size} partners have it (${same.map((l) => `${l.leadId} of ${l.partnerId}`).join(', ')}), so it is never attributed by email; link the customer to the right lead`,
        );
      } else {
        reasons.push(
          same.length
            ? `lead ${same[0]!.leadId} has the email ${p.email} now, but did not when the payment was attributed`
            : `no lead has the email ${p.email}`,
        );
      }
      const { local, domain } = splitEmail(p.email);
      candidates = rankCandidates(p.email, await this.leads.sameDomainOrLocalPart(companyId, local, domain));
    } else {
      reasons.push('the payment has no email (invoice customer_email, charge billing or receipt email)');
    }
    if (candidates.length && p.customerId) {
      reasons.push(
        `${candidates.length} candidate lead(s): if one is this customer, PUT /v1/leads/{leadId}/stripe-customer {"customerId": "${p.customerId}", "attributePastPayments": true}`,
      );
    }
    return { paymentId, status: a.status, reasons, candidates };
  }
}
