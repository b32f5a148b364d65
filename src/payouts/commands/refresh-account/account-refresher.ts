import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type Stripe from 'stripe';
import { PLATFORM_STRIPE } from '../../../../libs/stripe/stripe-client.js';
import { withStripeRetries } from '../../../../libs/stripe/retry.js';
import { RecordStripeAccountStatus, canReceivePayouts, type PartnerConnectState } from '../../../partners/index.js';
import { accountStatusOf } from '../../domain/connect.js';

/**
 * When a partner's account is not known to be able to receive payouts, asks Stripe (`GET /v1/accounts/{id}`) instead
 * of waiting for an `account.updated` that may be late or sent to the wrong endpoint, and records what it finds the
 * way the webhook would. Stripe errors are thrown to the caller.
 */
@Injectable()
export class AccountRefresher {
  constructor(
    private readonly commands: CommandBus,
    @Inject(PLATFORM_STRIPE) private readonly stripe: Stripe,
  ) {}

  async refresh(ids: { companyId: string; partnerId: string }, state: PartnerConnectState): Promise<{ state: PartnerConnectState; checkpoint?: string }> {
    const accountId = state.accountId;
    if (!accountId || canReceivePayouts(state)) return { state };
    const account = await withStripeRetries(() => this.stripe.accounts.retrieve(accountId));
    const status = accountStatusOf(account, { source: 'retrieve', stripeEventId: null, at: Math.floor(Date.now() / 1000) });
    return this.commands.execute(new RecordStripeAccountStatus(ids.companyId, ids.partnerId, status));
  }
}
