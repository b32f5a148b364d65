export { CurrencyMismatch, InvalidArgument, InvalidCurrency, InvalidMoney, InvalidRate, MoneyError } from './errors.js';
export { isValidCurrency, minorUnitExponent, normalizeCurrency } from './currency.js';
export { add, compare, isZero, money, negate, subtract, sum, type Money } from './money.js';
export { divideRounded, floorToMultiple } from './rounding.js';
export { toMajorUnits } from './major-units.js';
export { allocate, percentOf, prorate } from './percent.js';
export { grossUp } from './gross-up.js';
export { convert, fxRate, rederive, type Conversion, type FxRate } from './fx.js';
