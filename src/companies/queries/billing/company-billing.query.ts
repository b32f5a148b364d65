import { Injectable } from '@nestjs/common';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { companyBillingRef, missingCardMessage, platformCustomerRef, type CompanyBillingState } from '../../domain/billing.js';

/** The company's platform customer and card, read from its stream (no lag): what Pay and the readiness check need. */
@Injectable()
export class CompanyBillingQuery {
  constructor(private readonly es: EventSourcing) {}

  async billing(companyId: string): Promise<CompanyBillingState & { missingCard: string }> {
    const { state } = await this.es.read(companyBillingRef(companyId));
    return { ...state, missingCard: missingCardMessage(state) };
  }

  /** The company a platform customer was created for, from its claim. */
  async companyOfPlatformCustomer(customerId: string): Promise<string | null> {
    return (await this.es.read(platformCustomerRef(customerId))).state;
  }
}
