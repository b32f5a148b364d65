import { Inject, Injectable } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import { readSql } from '../../../../libs/database/sql.js';
import { ORM } from '../../../core/tokens.js';
import { balancesFrom, type Account, type Balance } from '../../domain/ledger.js';

/** A partner's balance from the ledger: the entries effective at or before `asOf`. */
@Injectable()
export class BalanceQuery {
  constructor(@Inject(ORM) private readonly orm: MikroORM) {}

  async balances(companyId: string, partnerId: string, asOf: Date): Promise<Balance[]> {
    const rows = await readSql(this.orm).query<{ currency: string; account: Account; amount: string }>(
      `select currency, account, sum(amount) as amount from ledger_entries
       where company_id = $1 and partner_id = $2 and effective_at <= $3 group by currency, account`,
      [companyId, partnerId, asOf],
    );
    return balancesFrom(rows.map((r) => ({ ...r, amount: Number(r.amount) })));
  }
}
