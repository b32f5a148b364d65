/** Base class for every money-kernel failure; `code` is stable so the HTTP layer can map it to 422. */
export class MoneyError extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.code = code;
    this.name = new.target.name;
  }
}

export class InvalidMoney extends MoneyError {
  constructor(message: string) {
    super('invalid_money', message);
  }
}

export class InvalidCurrency extends MoneyError {
  constructor(message: string) {
    super('invalid_currency', message);
  }
}

export class CurrencyMismatch extends MoneyError {
  constructor(expected: string, actual: string) {
    super('currency_mismatch', `currency mismatch: expected ${expected}, got ${actual}`);
  }
}

export class InvalidRate extends MoneyError {
  constructor(message: string) {
    super('invalid_rate', message);
  }
}

/** A percent, prorate ratio or allocation weight that cannot be used. */
export class InvalidArgument extends MoneyError {
  constructor(message: string) {
    super('invalid_argument', message);
  }
}
