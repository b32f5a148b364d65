import type { EventSourcing } from '../../core/event-sourcing.service.js';
import { conflict, type DomainError } from '../../../libs/http/domain-error.js';
import { customerStream } from '../domain/lead.js';

/** 409 naming the lead that already holds the customer id. */
export async function customerTaken(es: EventSourcing, companyId: string, customerId: string): Promise<DomainError> {
  const [claim] = await es.store.readStream(customerStream(companyId, customerId));
  const holder = (claim?.data as { leadId?: string } | undefined)?.leadId;
  return conflict('customer_already_linked', `Stripe customer ${customerId} is already linked to lead ${holder ?? 'another lead'}`, { customerId, leadId: holder, errors: [{ field: 'customerId', message: 'already linked to another lead' }] });
}
