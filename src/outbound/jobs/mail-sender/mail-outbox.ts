import { createHash } from 'node:crypto';
import { encryptSecret } from '../../../../libs/crypto/secrets.js';
import type { Sql } from '../../../../libs/database/sql.js';
import type { NotificationKind } from '../../../companies/index.js';
import type { RenderedMail } from '../../domain/mail-templates.js';

export interface MailToRecord {
  /** What makes the mail unique (the event and recipient it is for): recording it again changes nothing. */
  key: string;
  companyId: string;
  kind: NotificationKind;
  recipient: string;
  message: RenderedMail;
}

export const mailIdOf = (key: string): string => `ml_${createHash('sha256').update(key).digest('hex').slice(0, 24)}`;

/**
 * Puts mails in the outbox, the mail sender's queue. Bodies are stored encrypted: a login link in one signs a
 * partner in. Idempotent by key, so a replayed reaction or a repeated request records nothing new.
 */
export async function recordMails(sql: Sql, mails: MailToRecord[], encryptionKey: Buffer, now: Date): Promise<string[]> {
  if (mails.length === 0) return [];
  const ids = mails.map((m) => mailIdOf(m.key));
  await sql.query(
    `insert into mail_outbox (id, company_id, kind, recipient, message_encrypted, next_attempt_at, created_at)
     select id, company_id, kind, recipient, message, $6, $6 from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) as m(id, company_id, kind, recipient, message)
     on conflict (id) do nothing`,
    [
      ids,
      mails.map((m) => m.companyId),
      mails.map((m) => m.kind),
      mails.map((m) => m.recipient),
      mails.map((m) => encryptSecret(JSON.stringify(m.message), encryptionKey)),
      now,
    ],
  );
  return ids;
}
