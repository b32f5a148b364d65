import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, Length, Matches, Max, Min, ValidateBy, ValidateIf } from 'class-validator';
import type { CommissionPlan } from './commission-plan.js';
import { invalid } from '../../libs/http/domain-error.js';
import { isValidCurrency } from '../../libs/money/index.js';

/**
 * A plain decimal with at most `places` decimals, as the number prints. Instead of IsNumber's
 * maxDecimalPlaces, which throws a TypeError (a 500) on a fraction printed in exponent form, like 3e-323.
 */
const PlainDecimal = (places: number) =>
  ValidateBy({
    name: 'plainDecimal',
    validator: {
      validate: (v: unknown) => typeof v === 'number' && new RegExp(`^\\d+(\\.\\d{1,${places}})?$`).test(String(v)),
      defaultMessage: (a) => `${a?.property} must be a plain decimal number with at most ${places} decimals`,
    },
  });

/** Stripe's largest charge for most currencies, in minor units: a commission per payment above it is no plan. */
export const MAX_FLAT_AMOUNT = 99_999_999;

export class CommissionPlanDto {
  @ApiProperty({ enum: ['percentage', 'flat'] })
  @IsIn(['percentage', 'flat'])
  type!: 'percentage' | 'flat';

  @ApiPropertyOptional({ description: 'percentage plans: percent of the payment net (amount − tax), up to 4 decimals', example: 20 })
  @ValidateIf((o) => o.type === 'percentage')
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @PlainDecimal(4)
  @Min(0)
  @Max(100)
  percent?: number;

  @ApiPropertyOptional({
    description: 'flat plans: amount in minor units per payment, at most 99999999 (Stripe’s own limit for a charge)',
    example: 500,
    maximum: MAX_FLAT_AMOUNT,
  })
  @ValidateIf((o) => o.type === 'flat')
  @IsInt()
  @Min(0)
  @Max(MAX_FLAT_AMOUNT)
  amount?: number;

  @ApiPropertyOptional({ description: 'flat plans: lower-case ISO currency', example: 'usd' })
  @ValidateIf((o) => o.type === 'flat')
  @IsString()
  @Length(3, 3)
  @Matches(/^[a-zA-Z]{3}$/)
  currency?: string;

  @ApiPropertyOptional({ description: 'only payments within N months of the lead’s first payment', minimum: 1, maximum: 120 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(120)
  durationMonths?: number;

  @ApiPropertyOptional({ description: 'only the lead’s first payment earns a commission' })
  @IsOptional()
  @IsBoolean()
  firstPaymentOnly?: boolean;
}

export function toCommissionPlan(dto: CommissionPlanDto, field = 'commissionPlan'): CommissionPlan {
  // ValidateNested passes an array through element by element, so `[]` arrives here unvalidated.
  if (typeof dto !== 'object' || dto === null || Array.isArray(dto)) throw invalid(field, `${field} must be an object`);
  if (dto.durationMonths !== undefined && dto.firstPaymentOnly) throw invalid(field, 'durationMonths and firstPaymentOnly cannot be combined');
  if (dto.type === 'flat' && !isValidCurrency(dto.currency!)) throw invalid(`${field}.currency`, `${dto.currency} is not an ISO 4217 currency`);
  const limits = { ...(dto.durationMonths !== undefined && { durationMonths: dto.durationMonths }), ...(dto.firstPaymentOnly && { firstPaymentOnly: true }) };
  return dto.type === 'percentage'
    ? { type: 'percentage', percent: dto.percent!, ...limits }
    : { type: 'flat', amount: dto.amount!, currency: dto.currency!.toLowerCase(), ...limits };
}
