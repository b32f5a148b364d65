import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createTransport } from 'nodemailer';
import type { AppConfig } from '../../../../libs/config/config.js';
import { readSql } from '../../../../libs/database/sql.js';
import { decryptSecret } from '../../../../libs/crypto/secrets.js';
import type { Logger } from '../../../../libs/logging/logger.js';
import { CLOCK, CONFIG, LOGGER, ORM } from '../../../core/tokens.js';
import type { Clock } from '../../../../libs/event-store/command-handling.js';
import { nextAttemptAt } from '../../domain/retry-schedule.js';
import type { RenderedMail } from '../../domain/mail-templates.js';

const POLL_MS = 500;
const LEASE_MS = 120_000;
/** Mails sent at once by this process. */
const CONCURRENCY = 4;

type Claimed = { id: string; kind: string; recipient: string; message_encrypted: string; attempts: number; created_at: Date };

/**
 * Sends the mail outbox through SMTP (nodemailer, SMTP_URL, from MAIL_FROM). Claimed with a lease like webhook
 * deliveries, so any number of processes share it and a crash resends at most what was in flight (at least once;
 * the Message-ID is the mail's id, so a receiving system can tell a resend). A failure is retried with backoff for
 * up to 3 days; a permanent refusal (5xx) is not retried. Nothing here blocks what caused the mail.
 */
@Injectable()
export class MailSender implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly transport;
  private running = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private loggedAt = 0;

  constructor(
    @Inject(ORM) private readonly orm: MikroORM,
    @Inject(CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly log: Logger,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.transport = config.mail
      ? createTransport({ url: config.mail.smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 })
      : undefined;
  }

  get enabled(): boolean {
    return this.transport !== undefined;
  }

  onApplicationBootstrap(): void {
    if (!this.transport) {
      this.log.info('no SMTP_URL: no e-mail is sent (login links, invoice and payout notices, digests)');
      return;
    }
    if (!this.config.runBackgroundJobs) return;
    this.running = true;
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    this.wakeUp?.();
    await this.loop;
    this.transport?.close();
  }

  wake(): void {
    this.wakeUp?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const claimed = await this.claim(this.clock.now());
        await Promise.all(claimed.map((m) => this.send(m)));
        if (claimed.length === 0) await this.sleep();
      } catch (e) {
        if (Date.now() - this.loggedAt > 60_000) {
          this.loggedAt = Date.now();
          this.log.error({ err: e }, 'mail sender cannot claim mails');
        }
        await this.sleep();
      }
    }
  }

  private sleep(): Promise<void> {
    return new Promise((ok) => {
      const timer = setTimeout(() => done(), POLL_MS);
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        ok();
      };
      this.wakeUp = done;
    });
  }

  private claim(now: Date): Promise<Claimed[]> {
    return readSql(this.orm).query<Claimed>(
      `update mail_outbox m set lease_until = $2
       from (select id from mail_outbox where status = 'pending' and next_attempt_at <= $1 and (lease_until is null or lease_until < $1)
             order by next_attempt_at limit $3 for update skip locked) due
       where m.id = due.id
       returning m.id, m.kind, m.recipient, m.message_encrypted, m.attempts, m.created_at`,
      [now, new Date(now.getTime() + LEASE_MS), CONCURRENCY],
    );
  }

  private async send(m: Claimed): Promise<void> {
    const message = JSON.parse(decryptSecret(m.message_encrypted, this.config.encryptionKey)) as RenderedMail;
    const sql = readSql(this.orm);
    try {
      await this.transport!.sendMail({
        from: this.config.mail!.from,
        to: m.recipient,
        subject: message.subject,
        text: message.text,
        html: message.html,
        messageId: `<${m.id}@partnerflow>`,
        headers: { 'X-Partnerflow-Kind': m.kind },
      });
      await sql.query(`update mail_outbox set status = 'sent', sent_at = $2, attempts = attempts + 1, last_error = null, lease_until = null where id = $1`, [
        m.id,
        this.clock.now(),
      ]);
      this.log.info({ mailId: m.id, kind: m.kind }, 'mail sent');
    } catch (e) {
      const err = e as { message?: string; responseCode?: number };
      const now = this.clock.now();
      const permanent = typeof err.responseCode === 'number' && err.responseCode >= 500;
      const next = permanent ? undefined : nextAttemptAt(new Date(m.created_at), now, m.attempts + 1, this.config.outboundRetryBaseMs);
      await sql.query(`update mail_outbox set status = $2, attempts = attempts + 1, last_error = $3, next_attempt_at = $4, lease_until = null where id = $1`, [
        m.id,
        next ? 'pending' : 'failed',
        String(err.message ?? e).slice(0, 500),
        next ?? null,
      ]);
      this.log.warn({ mailId: m.id, kind: m.kind, err: err.message, retry: next?.toISOString() ?? null }, 'mail not sent');
    }
  }
}
