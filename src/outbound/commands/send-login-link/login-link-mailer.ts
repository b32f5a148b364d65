import { Inject, Injectable } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { AppConfig } from '../../../../libs/config/config.js';
import { readSql } from '../../../../libs/database/sql.js';
import { conflict } from '../../../../libs/http/domain-error.js';
import { CLOCK, CONFIG, ORM } from '../../../core/tokens.js';
import type { Clock } from '../../../../libs/event-store/command-handling.js';
import { CompaniesQuery } from '../../../companies/index.js';
import { renderMail } from '../../domain/mail-templates.js';
import { MailSender } from '../../jobs/mail-sender/mail-sender.job.js';
import { recordMails } from '../../jobs/mail-sender/mail-outbox.js';

export interface LoginLinkMail {
  companyId: string;
  partnerId: string;
  partnerName: string;
  /** The partner's address: where the link goes. */
  email: string;
  /** The one-time sign-in URL (`/portal/login?token=…`); stored encrypted until sent. */
  url: string;
  expiresAt: string;
}

/**
 * For `POST /v1/partners/{id}/login-link {send: true}` (the console's route): call `send` after the link is made.
 * It records the mail in the outbox (encrypted, idempotent for the same link) and returns at once; the mail sender
 * delivers it and retries failures, so a slow or failing SMTP server never fails the request. Without SMTP_URL it
 * answers 409 `mail_not_configured`.
 */
@Injectable()
export class LoginLinkMailer {
  constructor(
    @Inject(ORM) private readonly orm: MikroORM,
    @Inject(CONFIG) private readonly config: AppConfig,
    private readonly companies: CompaniesQuery,
    private readonly sender: MailSender,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  get enabled(): boolean {
    return this.sender.enabled;
  }

  async send(link: LoginLinkMail): Promise<{ mailId: string }> {
    if (!this.sender.enabled) throw conflict('mail_not_configured', 'No e-mail can be sent: the server has no SMTP_URL. Give the partner the link yourself.');
    const company = await this.companies.get(link.companyId);
    const message = renderMail({ kind: 'login_link', companyName: company.name, partnerName: link.partnerName, url: link.url, expiresAt: link.expiresAt });
    const [mailId] = await recordMails(
      readSql(this.orm),
      [{ key: `login_link:${link.companyId}:${link.partnerId}:${link.url}`, companyId: link.companyId, kind: 'login_link', recipient: link.email, message }],
      this.config.encryptionKey,
      this.clock.now(),
    );
    this.sender.wake();
    return { mailId: mailId! };
  }
}
