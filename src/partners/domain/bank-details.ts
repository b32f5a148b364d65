import { isWellFormed } from '../../currency/index.js';

/** Bank details for off-platform payment: stored only encrypted (AES-256-GCM) and masked; shown in full on the invoice document alone. */
export interface BankDetails {
  accountHolder: string;
  bankName: string;
  country: string;
  iban?: string;
  accountNumber?: string;
  routingNumber?: string;
  swift?: string;
}

export type PartnerBankDetailsSet = {
  type: 'PartnerBankDetailsSet';
  data: { partnerId: string; companyId: string; bankDetailsEncrypted: string; bankDetailsMasked: Record<string, string> };
};

const SECRET_FIELDS = ['iban', 'accountNumber', 'routingNumber'] as const;

/** Account identifiers keep their last four characters; names, country and SWIFT/BIC are not secret. */
export function maskBankDetails(d: BankDetails): Record<string, string> {
  const masked: Record<string, string> = { accountHolder: d.accountHolder, bankName: d.bankName, country: d.country };
  if (d.swift) masked.swift = d.swift;
  for (const field of SECRET_FIELDS) {
    const value = d[field];
    if (value) masked[field] = `••••${value.slice(-4)}`;
  }
  return masked;
}

/** ISO 13616 check: move the first four characters to the end, letters to numbers, mod 97 must be 1. */
export function isValidIban(iban: string): boolean {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const digits = (iban.slice(4) + iban.slice(0, 4)).replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let rest = 0;
  for (const ch of digits) rest = (rest * 10 + Number(ch)) % 97;
  return rest === 1;
}

/** The first field holding a lone UTF-16 surrogate (Postgres jsonb cannot store one), if any. */
export function malformedField(d: Record<string, unknown>): string | undefined {
  return Object.keys(d).find((k) => typeof d[k] === 'string' && !isWellFormed(d[k] as string));
}

export function normalizeBankDetails(d: BankDetails): BankDetails {
  const clean = (v?: string) => v?.replace(/\s+/g, '').toUpperCase() || undefined;
  return {
    accountHolder: d.accountHolder.trim(),
    bankName: d.bankName.trim(),
    country: d.country.toUpperCase(),
    ...(clean(d.iban) && { iban: clean(d.iban) }),
    ...(d.accountNumber?.trim() && { accountNumber: d.accountNumber.replace(/\s+/g, '') }),
    ...(d.routingNumber?.trim() && { routingNumber: d.routingNumber.replace(/\s+/g, '') }),
    ...(clean(d.swift) && { swift: clean(d.swift) }),
  };
}
