import { Inject, Injectable } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import { readSql } from '../../../../libs/database/sql.js';
import { ORM } from '../../../core/tokens.js';

export interface PaymentMethodView {
  id: string;
  brand: string;
  last4: string;
}

/** Exported for other modules (readiness, invoice documents): the company's card, if any. */
@Injectable()
export class PaymentMethodQuery {
  constructor(@Inject(ORM) private readonly orm: MikroORM) {}

  async find(companyId: string): Promise<PaymentMethodView | undefined> {
    const [row] = await readSql(this.orm).query<{ payment_method_id: string; brand: string; last4: string }>(
      'select payment_method_id, brand, last4 from company_payment_methods where company_id = $1 and payment_method_id is not null',
      [companyId],
    );
    return row && { id: row.payment_method_id, brand: row.brand, last4: row.last4 };
  }
}
