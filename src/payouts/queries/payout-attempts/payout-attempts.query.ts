import { Inject, Injectable } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import { readSql } from '../../../../libs/database/sql.js';
import { ORM } from '../../../core/tokens.js';

export interface OpenAttempt {
  companyId: string;
  invoiceId: string;
  attempt: number;
  paymentIntentId: string | null;
}

@Injectable()
export class PayoutAttemptsQuery {
  constructor(@Inject(ORM) private readonly orm: MikroORM) {}

  /** Attempts with no outcome yet, started before `before`. */
  async open(before: Date, limit = 100): Promise<OpenAttempt[]> {
    const rows = await readSql(this.orm).query<{ company_id: string; invoice_id: string; attempt: number; payment_intent_id: string | null }>(
      `select company_id, invoice_id, attempt, payment_intent_id from payout_attempts
       where status in ('sending', 'intent_created') and started_at < $1 order by started_at limit $2`,
      [before, limit],
    );
    return rows.map((r) => ({ companyId: r.company_id, invoiceId: r.invoice_id, attempt: r.attempt, paymentIntentId: r.payment_intent_id }));
  }
}
