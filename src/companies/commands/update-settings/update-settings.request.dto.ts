import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsNumber,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import { IANAZone } from 'luxon';
import { COMMISSION_REVIEW_MODES, NOTIFICATION_KINDS, type CommissionReview, type NotificationKind } from '../../domain/company.js';
import { IsHttpUrl, IsOrigin } from '../../../../libs/http/url-fields.js';
import { MAX_ALLOWED_ORIGINS, MAX_URL_LENGTH, TRACKING_MODELS } from '../../domain/tracking-settings.js';
import { CommissionPlanDto } from '../../../shared-kernel/commission-plan.dto.js';
import { NotBlank, OptionalNotNull } from '../../../../libs/http/validation.js';

export class InvoiceScheduleDto {
  @ApiProperty({ enum: ['weekly', 'monthly'] })
  @IsIn(['weekly', 'monthly'])
  frequency!: 'weekly' | 'monthly';

  @ApiProperty({
    oneOf: [
      { type: 'integer', minimum: 1, maximum: 28 },
      { type: 'string', enum: ['last'] },
    ],
    description: 'weekly: ISO weekday 1 (Monday) … 7; monthly: day of month 1 … 28, or "last" (the month’s last day)',
  })
  @ValidateBy({
    name: 'invoiceDay',
    validator: {
      validate: (value: unknown, args) => {
        const frequency = (args?.object as InvoiceScheduleDto).frequency;
        if (frequency === 'monthly' && value === 'last') return true;
        return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= (frequency === 'weekly' ? 7 : 28);
      },
      defaultMessage: (args) =>
        (args?.object as InvoiceScheduleDto).frequency === 'weekly'
          ? 'day must be an ISO weekday, 1 (Monday) to 7 (Sunday)'
          : 'day must be a day of the month from 1 to 28, or "last"',
    },
  })
  day!: number | 'last';

  @ApiProperty({ description: 'days a commission stays pending (refund window)', minimum: 0, maximum: 365 })
  @IsInt()
  @Min(0)
  @Max(365)
  holdDays!: number;

  @ApiProperty({
    description: 'minor units of the company currency, converted at the run’s rate for partners paid in another; smaller totals roll to the next period',
    minimum: 0,
  })
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  minimumPayout!: number;

  @ApiPropertyOptional({ example: 'America/New_York', description: 'IANA time zone whose calendar days the invoice days and periods are; default UTC' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @ValidateBy({
    name: 'ianaTimeZone',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && IANAZone.isValidZone(value),
      defaultMessage: () => 'timeZone must be an IANA time zone name such as Europe/Berlin',
    },
  })
  timeZone?: string;
}

export class NotificationsDto {
  @ApiProperty({
    type: [String],
    example: ['finance@acme.test'],
    maxItems: 20,
    description: 'who gets payout failures, the daily unattributed digest and disabled-endpoint notices',
  })
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique((e: string) => (typeof e === 'string' ? e.toLowerCase() : e))
  @IsEmail({}, { each: true })
  @MaxLength(254, { each: true })
  adminEmails!: string[];

  @ApiProperty({ type: [String], enum: NOTIFICATION_KINDS, description: 'e-mail kinds switched off' })
  @IsArray()
  @ArrayUnique()
  @IsIn(NOTIFICATION_KINDS, { each: true })
  disabled!: NotificationKind[];
}

export class TrackingSettingsDto {
  @ApiPropertyOptional({ example: 'https://www.example.com/pricing', description: 'where GET /r/{referralKey} sends visitors (http or https)' })
  @OptionalNotNull()
  @IsString()
  @MaxLength(MAX_URL_LENGTH)
  @IsHttpUrl()
  landingUrl?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 730, default: 60, description: 'days the script keeps the click id in its cookie' })
  @OptionalNotNull()
  @IsInt()
  @Min(1)
  @Max(730)
  cookieDays?: number;

  @ApiPropertyOptional({ enum: TRACKING_MODELS, default: 'last_click' })
  @OptionalNotNull()
  @IsIn(TRACKING_MODELS)
  model?: 'last_click' | 'first_click';

  @ApiPropertyOptional({ type: [String], example: ['https://www.example.com'], description: 'origins (scheme://host[:port]) allowed to call /v1/track/*' })
  @OptionalNotNull()
  @IsArray()
  @ArrayMaxSize(MAX_ALLOWED_ORIGINS)
  @IsString({ each: true })
  @IsOrigin({ each: true })
  allowedOrigins?: string[];
}

export class FraudSettingsDto {
  @ApiProperty({
    minimum: 0,
    maximum: 1,
    default: 0.3,
    description:
      'a commission is flagged high_refund_rate when the partner’s refunded share of the last 90 days’ revenue is above this (with ≥ 5 payments in that window)',
  })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  refundRateThreshold!: number;
}

export class UpdateSettingsRequest {
  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsString()
  @IsNotEmpty()
  @NotBlank()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ example: 'eur', description: 'display currency' })
  @OptionalNotNull()
  @IsString()
  @Length(3, 3)
  @Matches(/^[a-zA-Z]{3}$/)
  currency?: string;

  @ApiPropertyOptional({ type: InvoiceScheduleDto })
  @OptionalNotNull()
  @IsObject()
  @ValidateNested()
  @Type(() => InvoiceScheduleDto)
  invoiceSchedule?: InvoiceScheduleDto;

  @ApiPropertyOptional({ type: CommissionPlanDto })
  @OptionalNotNull()
  @IsObject()
  @ValidateNested()
  @Type(() => CommissionPlanDto)
  commissionPlan?: CommissionPlanDto;

  @ApiPropertyOptional({ type: NotificationsDto })
  @OptionalNotNull()
  @IsObject()
  @ValidateNested()
  @Type(() => NotificationsDto)
  notifications?: NotificationsDto;

  @ApiPropertyOptional({
    description:
      'write partnerflow_partner_id and partnerflow_lead_id into the Stripe customer’s metadata on attribution (needs the API key with customer write access)',
  })
  @OptionalNotNull()
  @IsBoolean()
  stripeWriteBack?: boolean;

  @ApiPropertyOptional({ type: TrackingSettingsDto, description: 'merged into the current tracking settings' })
  @OptionalNotNull()
  @IsObject()
  @ValidateNested()
  @Type(() => TrackingSettingsDto)
  tracking?: TrackingSettingsDto;

  @ApiPropertyOptional({
    enum: COMMISSION_REVIEW_MODES,
    default: 'auto',
    description: 'manual: every new commission waits in pending_review until approved; auto: only flagged ones do',
  })
  @OptionalNotNull()
  @IsIn(COMMISSION_REVIEW_MODES)
  commissionReview?: CommissionReview;

  @ApiPropertyOptional({ type: FraudSettingsDto })
  @OptionalNotNull()
  @IsObject()
  @ValidateNested()
  @Type(() => FraudSettingsDto)
  fraud?: FraudSettingsDto;
}
