import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { WrongExpectedVersion } from '../../../../libs/event-store/event-store.port.js';
import { notFound } from '../../../../libs/http/domain-error.js';
import { partnerStream } from '../../domain/partner.js';
import {
  checkAccountCountry,
  decideAccountCreated,
  decideAccountUpdated,
  decideRequestAccount,
  evolvePartnerConnect,
  initialPartnerConnect,
  type AccountLocation,
  type AccountStatus,
  type PartnerConnectState,
} from '../../domain/connect.js';

type Recorded<R> = R & { checkpoint?: string };

/**
 * The payouts module's requests on the partner's Stripe account (the partner stream is this module's). The account is
 * created at most once: its request recorded first (the idempotency key and parameters every caller sends), Stripe
 * called by payouts with that key, then the account recorded with a claim of the account (`stripeaccount-`), so
 * concurrent callers end with the same account. Each answers the checkpoint of what it appended, for the caller to
 * settle on once it is done.
 */
export class RequestStripeAccount extends Command<Recorded<{ state: PartnerConnectState }>> {
  constructor(
    readonly companyId: string,
    readonly partnerId: string,
    readonly where: AccountLocation,
  ) {
    super();
  }
}

/** Answers the partner's account (the first one recorded wins); `raced`: another call recorded it first. */
export class RecordStripeAccount extends Command<Recorded<{ accountId: string; raced: boolean }>> {
  constructor(
    readonly companyId: string,
    readonly partnerId: string,
    readonly accountId: string,
  ) {
    super();
  }
}

/** What Stripe said of the account (a webhook, or a read): answers the partner's Connect state after it. */
export class RecordStripeAccountStatus extends Command<Recorded<{ state: PartnerConnectState }>> {
  constructor(
    readonly companyId: string,
    readonly partnerId: string,
    readonly status: AccountStatus,
  ) {
    super();
  }
}

@CommandHandler(RequestStripeAccount)
export class RequestStripeAccountHandler implements ICommandHandler<RequestStripeAccount> {
  constructor(private readonly es: EventSourcing) {}

  async execute({ companyId, partnerId, where }: RequestStripeAccount): Promise<Recorded<{ state: PartnerConnectState }>> {
    const streamId = partnerStream(companyId, partnerId);
    const { checkpoint } = await this.es.execute(streamId, initialPartnerConnect, evolvePartnerConnect, (state) => {
      if (!state.exists) throw notFound('partner', partnerId);
      checkAccountCountry(state, where);
      return { events: state.accountId ? [] : decideRequestAccount(state, { companyId, partnerId }, where) };
    });
    const { state } = await this.es.load(streamId, initialPartnerConnect, evolvePartnerConnect);
    return { state, checkpoint };
  }
}

@CommandHandler(RecordStripeAccount)
export class RecordStripeAccountHandler implements ICommandHandler<RecordStripeAccount> {
  constructor(private readonly es: EventSourcing) {}

  /** A conflict on the account's claim (not read, so thrown) means another call recorded the account first. */
  async execute({ companyId, partnerId, accountId }: RecordStripeAccount): Promise<Recorded<{ accountId: string; raced: boolean }>> {
    const streamId = partnerStream(companyId, partnerId);
    try {
      const { checkpoint } = await this.es.execute(streamId, initialPartnerConnect, evolvePartnerConnect, (s) =>
        decideAccountCreated(s, { companyId, partnerId }, accountId),
      );
      return { accountId, raced: false, checkpoint };
    } catch (e) {
      if (!(e instanceof WrongExpectedVersion)) throw e;
      const again = (await this.es.load(streamId, initialPartnerConnect, evolvePartnerConnect)).state.accountId;
      if (!again) throw e;
      return { accountId: again, raced: true };
    }
  }
}

@CommandHandler(RecordStripeAccountStatus)
export class RecordStripeAccountStatusHandler implements ICommandHandler<RecordStripeAccountStatus> {
  constructor(private readonly es: EventSourcing) {}

  async execute({ companyId, partnerId, status }: RecordStripeAccountStatus): Promise<Recorded<{ state: PartnerConnectState }>> {
    const streamId = partnerStream(companyId, partnerId);
    const { checkpoint } = await this.es.execute(streamId, initialPartnerConnect, evolvePartnerConnect, (s) => ({
      events: decideAccountUpdated(s, { companyId, partnerId }, status),
    }));
    return { state: (await this.es.load(streamId, initialPartnerConnect, evolvePartnerConnect)).state, checkpoint };
  }
}
