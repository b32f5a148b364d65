import { DomainError } from '../../../libs/http/domain-error.js';

/** No rate for the pair at or before the date: conversions never fall back to 1.0. */
export class FxRateMissing extends DomainError {
  constructor(
    readonly from: string,
    readonly to: string,
    readonly at: string,
  ) {
    super(422, 'fx_rate_missing', `No FX rate ${from}→${to} (or ${to}→${from}) at or before ${at}; publish one with PUT /v1/fx-rates`, { from, to, at });
  }
}
