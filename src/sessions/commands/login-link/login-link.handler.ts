import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomBytes } from 'node:crypto';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { CONFIG } from '../../../core/tokens.js';
import type { AppConfig } from '../../../../libs/config/config.js';
import { conflict, notFound } from '../../../../libs/http/domain-error.js';
import { evolvePartner, initialPartner, partnerStream } from '../../../partners/domain/partner.js';
import { loginLinkIssued, portalLoginUrl } from '../../domain/session.js';
import { SessionStore } from '../../session-store.js';
import type { LoginLinkResponse } from '../../session.response.js';
import { LoginLinkMailer } from '../../../outbound/index.js';

export class CreateLoginLink {
  constructor(
    readonly companyId: string,
    readonly partnerId: string,
    readonly now: Date,
    readonly send = false,
  ) {}
}

/**
 * The audit event first, then the link: a link that works is always on the partner's history; a
 * failure in between leaves an issued link that never worked, which is harmless.
 */
@CommandHandler(CreateLoginLink)
export class CreateLoginLinkHandler implements ICommandHandler<CreateLoginLink, LoginLinkResponse> {
  constructor(
    private readonly es: EventSourcing,
    private readonly store: SessionStore,
    private readonly mailer: LoginLinkMailer,
    @Inject(CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(cmd: CreateLoginLink): Promise<LoginLinkResponse> {
    if (!/^[A-Za-z0-9_-]{1,100}$/.test(cmd.partnerId)) throw notFound('partner');
    const ids = { companyId: cmd.companyId, partnerId: cmd.partnerId };
    const linkId = `ll_${randomBytes(12).toString('hex')}`;
    const event = loginLinkIssued(ids, linkId, cmd.now);
    const { result: partner } = await this.es.execute(partnerStream(cmd.companyId, cmd.partnerId), initialPartner, evolvePartner, (state) => {
      if (!state.exists) throw notFound('partner', cmd.partnerId);
      if (!state.active) throw conflict('partner_deactivated', 'A deactivated partner has no portal access: reactivate the partner first');
      if (cmd.send && !this.mailer.enabled)
        throw conflict('mail_not_configured', 'No e-mail can be sent: the server has no SMTP_URL. Give the partner the link yourself.');
      return { events: [event], result: state };
    });
    const token = await this.store.issueLoginLink(ids, linkId, cmd.now);
    const link = { url: portalLoginUrl(this.config.publicUrl, token), expiresAt: event.data.expiresAt };
    if (!cmd.send) return { ...link, sent: false };
    await this.mailer.send({ ...ids, partnerName: partner!.name, email: partner!.email, ...link });
    return { ...link, sent: true };
  }
}
