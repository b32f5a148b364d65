import { conflict, type DomainError } from '../../../libs/http/domain-error.js';

/** 409 naming the lead that already holds the customer id. */
export function customerTaken(customerId: string, holder: string): DomainError {
  return conflict('customer_already_linked', `Stripe customer ${customerId} is already linked to lead ${holder}`, {
    customerId,
    leadId: holder,
    errors: [{ field: 'customerId', message: 'already linked to another lead' }],
  });
}
