import { Inject, Injectable } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { AppConfig } from '../../../libs/config/config.js';
import { inTransaction, readSql } from '../../../libs/database/sql.js';
import type { LeaderLock } from '../../../libs/event-store/leader-lock.js';
import type { Logger } from '../../../libs/logging/logger.js';
import { CLOCK, CONFIG, LEADER, LOGGER, ORM } from '../../core/tokens.js';
import type { Clock } from '../../../libs/event-store/command-handling.js';
import { CompaniesQuery } from '../../companies/index.js';
import { isSwitchedOff, renderMail } from '../domain/mail-templates.js';
import { recordMails } from './mail-sender/mail-outbox.js';
import { MailSender } from './mail-sender/mail-sender.job.js';

/** Payments listed in one digest; the count covers all of them. */
const LISTED = 50;

/**
 * The admins' daily digest of new unattributed payments: once a (UTC) day is over, the payments the mail reactor
 * collected for it become one mail per admin address, and the day's items are gone in the same transaction (the
 * mail ids are derived from company and day, so a second run, in any process, records nothing new).
 */
@Injectable()
export class UnattributedDigestJob {
  constructor(
    @Inject(ORM) private readonly orm: MikroORM,
    @Inject(CONFIG) private readonly config: AppConfig,
    @Inject(LEADER) private readonly leader: LeaderLock,
    @Inject(LOGGER) private readonly log: Logger,
    private readonly companies: CompaniesQuery,
    private readonly sender: MailSender,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Interval('unattributed-digest', 15 * 60_000)
  async tick(): Promise<void> {
    if (!this.config.runBackgroundJobs || !this.sender.enabled || !this.leader.held) return;
    await this.runDue(this.clock.now()).catch((e: unknown) => this.log.error({ err: e }, 'unattributed digest run failed'));
  }

  /** Records the digests of every day before `now`'s UTC day; answers how many mails. */
  async runDue(now: Date): Promise<number> {
    const today = now.toISOString().slice(0, 10);
    const due = await readSql(this.orm).query<{ company_id: string; day: string }>(
      `select distinct company_id, day::text from mail_digest_items where day < $1::date order by day, company_id`,
      [today],
    );
    let recorded = 0;
    for (const { company_id: companyId, day } of due) {
      const company = await this.companies.find(companyId);
      recorded += await inTransaction(this.orm, async (sql) => {
        const items = await sql.query<{ payment_id: string; amount: string; currency: string; email: string | null; paid_at: Date }>(
          `delete from mail_digest_items where company_id = $1 and day = $2::date returning payment_id, amount, currency, email, paid_at`,
          [companyId, day],
        );
        if (!company || items.length === 0 || isSwitchedOff('unattributed_digest', company.notifications.disabled)) return 0;
        items.sort((a, b) => new Date(a.paid_at).getTime() - new Date(b.paid_at).getTime() || a.payment_id.localeCompare(b.payment_id));
        const message = renderMail({
          kind: 'unattributed_digest',
          companyName: company.name,
          day,
          total: items.length,
          payments: items.slice(0, LISTED).map((i) => ({
            id: i.payment_id,
            amount: { amount: Number(i.amount), currency: i.currency },
            email: i.email,
            paidAt: new Date(i.paid_at).toISOString(),
          })),
        });
        const mails = company.notifications.adminEmails.map((recipient) => ({
          key: `unattributed_digest:${companyId}:${day}:${recipient.toLowerCase()}`,
          companyId,
          kind: 'unattributed_digest' as const,
          recipient,
          message,
        }));
        await recordMails(sql, mails, this.config.encryptionKey, this.clock.now());
        return mails.length;
      });
    }
    if (recorded) this.sender.wake();
    return recorded;
  }
}
