import { projection } from '../../../../libs/event-store/subscriptions.js';
import type { CompanyCardEvent } from '../../../companies/index.js';

/** The company's platform customer and card: only id, brand and last 4. */
export const companyPaymentMethodsProjection = projection<
  Extract<CompanyCardEvent, { type: 'CompanyPlatformCustomerCreated' | 'CompanyPaymentMethodSaved' }>
>()({
  name: 'company_payment_methods',
  tables: ['company_payment_methods'],
  types: ['CompanyPlatformCustomerCreated', 'CompanyPaymentMethodSaved'],
  async apply(event, sql) {
    const e = event;
    if (e.type === 'CompanyPlatformCustomerCreated') {
      await sql.query(
        `insert into company_payment_methods (company_id, customer_id, position) values ($1, $2, $3)
         on conflict (company_id) do update set customer_id = excluded.customer_id`,
        [e.data.companyId, e.data.customerId, event.globalPosition],
      );
    } else if (e.type === 'CompanyPaymentMethodSaved') {
      const d = e.data;
      await sql.query(
        `insert into company_payment_methods (company_id, customer_id, payment_method_id, brand, last4, position) values ($1, $2, $3, $4, $5, $6)
         on conflict (company_id) do update set customer_id = excluded.customer_id, payment_method_id = excluded.payment_method_id, brand = excluded.brand, last4 = excluded.last4`,
        [d.companyId, d.customerId, d.paymentMethodId, d.brand, d.last4, event.globalPosition],
      );
    }
  },
});
