import { formatMoney } from '../lib/money';

export function Money({ amount, currency, className }: { amount: number; currency: string; className?: string }) {
  return <span className={`money ${amount < 0 ? 'money-negative' : ''} ${className ?? ''}`}>{formatMoney(amount, currency)}</span>;
}

/** Several currencies, one under the other (never added up: no silent conversion). */
export function MoneyList({ items, empty = '—' }: { items: { amount: number; currency: string }[]; empty?: string }) {
  if (!items.length) return <span className="muted">{empty}</span>;
  return (
    <span className="money-list">
      {items.map((m) => (
        <Money key={m.currency} amount={m.amount} currency={m.currency} />
      ))}
    </span>
  );
}
