import { Inject } from '@nestjs/common';
import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomBytes } from 'node:crypto';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { CONFIG } from '../../../core/tokens.js';
import type { AppConfig } from '../../../../libs/config/config.js';
import { conflict, notFound } from '../../../../libs/http/domain-error.js';
import { loginLinkRefusal, partnerState, RecordLoginLinkIssued } from '../../../partners/index.js';
import { loginLinkExpiry, portalLoginUrl } from '../../domain/session.js';
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
    private readonly commands: CommandBus,
    private readonly store: SessionStore,
    private readonly mailer: LoginLinkMailer,
    @Inject(CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(cmd: CreateLoginLink): Promise<LoginLinkResponse> {
    if (!/^[A-Za-z0-9_-]{1,100}$/.test(cmd.partnerId)) throw notFound('partner');
    const ids = { companyId: cmd.companyId, partnerId: cmd.partnerId };
    const linkId = `ll_${randomBytes(12).toString('hex')}`;
    const expiresAt = loginLinkExpiry(cmd.now);
    if (cmd.send && !this.mailer.enabled) {
      // The partner's own refusals (404, deactivated) come first, as when the link is recorded.
      throw (
        loginLinkRefusal(await partnerState(this.es.store, cmd.companyId, cmd.partnerId), cmd.partnerId) ??
        conflict('mail_not_configured', 'No e-mail can be sent: the server has no SMTP_URL. Give the partner the link yourself.')
      );
    }
    const partner = await this.commands.execute(new RecordLoginLinkIssued({ ...ids, linkId, expiresAt }));
    const token = await this.store.issueLoginLink(ids, linkId, cmd.now);
    const link = { url: portalLoginUrl(this.config.publicUrl, token), expiresAt };
    if (!cmd.send) return { ...link, sent: false };
    await this.mailer.send({ ...ids, partnerName: partner.name, email: partner.email, ...link });
    return { ...link, sent: true };
  }
}
