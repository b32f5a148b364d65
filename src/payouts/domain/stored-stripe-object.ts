/**
 * What is kept of a platform-account Stripe object when its event is stored: a payment method is its id, type,
 * brand and last four; bank accounts keep bank name and last four; personal data the product never reads
 * (billing and shipping details, names, emails, phones, addresses, fingerprints, identity data) is dropped
 * wherever it sits. Ids, amounts, statuses and metadata stay: the reactors decide on them.
 */
type Json = unknown;
type Obj = Record<string, Json>;

const PERSONAL = new Set([
  'billing_details',
  'shipping',
  'receipt_email',
  'customer_details',
  'customer_email',
  'customer_name',
  'customer_phone',
  'customer_address',
  'customer_shipping',
  'customer_tax_ids',
  'individual',
  'company',
  'representative',
  'email',
  'phone',
  'address',
  'name',
  'first_name',
  'last_name',
  'dob',
  'ssn_last_4',
  'id_number',
  'fingerprint',
  'ip',
  'ip_address',
  'user_agent',
  'business_profile',
  'account_holder_name',
  'routing_number',
  'exp_month',
  'exp_year',
]);

const isObj = (v: Json): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const card = (c: Json) => (isObj(c) ? { brand: c.brand ?? null, last4: c.last4 ?? null } : null);

export function withoutPaymentDetails(object: Obj): Obj {
  const failed = isObj(object.last_payment_error) ? object.last_payment_error : null;
  // A failed PaymentIntent embeds the whole PaymentMethod: only its id is kept there.
  const scrubbed = scrub(
    failed && isObj(failed.payment_method) ? { ...object, last_payment_error: { ...failed, payment_method: failed.payment_method.id ?? null } } : object,
    0,
  ) as Obj;
  return scrubbed;
}

function scrub(value: Json, depth: number): Json {
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  if (!isObj(value) || depth > 20) return value;
  switch (value.object) {
    case 'payment_method':
      return {
        id: value.id,
        object: value.object,
        type: value.type ?? null,
        customer: value.customer ?? null,
        ...(value.card !== undefined && { card: card(value.card) }),
      };
    case 'card':
      return { id: value.id, object: value.object, ...card(value) };
    case 'bank_account':
      return {
        id: value.id,
        object: value.object,
        bank_name: value.bank_name ?? null,
        last4: value.last4 ?? null,
        country: value.country ?? null,
        currency: value.currency ?? null,
        status: value.status ?? null,
      };
  }
  const out: Obj = {};
  for (const [key, v] of Object.entries(value)) {
    if (key === 'metadata') out[key] = v;
    else if (key === 'payment_method_details' && isObj(v)) out[key] = { type: v.type ?? null, ...(v.card !== undefined && { card: card(v.card) }) };
    else if (!PERSONAL.has(key)) out[key] = scrub(v, depth + 1);
  }
  return out;
}
