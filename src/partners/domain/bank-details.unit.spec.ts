import { describe, it, expect } from '@jest/globals';
import { isValidIban, maskBankDetails, normalizeBankDetails } from './bank-details.js';

describe('bank details', () => {
  it('normalizes and masks account identifiers to their last four characters', () => {
    const d = normalizeBankDetails({ accountHolder: ' Jane ', bankName: 'Bank', country: 'de', iban: 'de89 3704 0044 0532 0130 00', swift: 'deutdeff' });
    expect(d).toEqual({ accountHolder: 'Jane', bankName: 'Bank', country: 'DE', iban: 'DE89370400440532013000', swift: 'DEUTDEFF' });
    expect(maskBankDetails({ ...d, accountNumber: '000123456789', routingNumber: '110000000' })).toEqual({
      accountHolder: 'Jane',
      bankName: 'Bank',
      country: 'DE',
      swift: 'DEUTDEFF',
      iban: '••••3000',
      accountNumber: '••••6789',
      routingNumber: '••••0000',
    });
  });

  it('checks the IBAN checksum', () => {
    expect(isValidIban('DE89370400440532013000')).toBe(true);
    expect(isValidIban('GB82WEST12345698765432')).toBe(true);
    expect(isValidIban('DE89370400440532013001')).toBe(false);
    expect(isValidIban('not an iban')).toBe(false);
  });
});
