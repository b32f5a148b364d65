import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsEmail, IsObject, IsNotEmpty, IsOptional, IsString, Length, Matches, MaxLength, ValidateNested } from 'class-validator';
import { MAX_PROMOTION_CODES, PROMOTION_CODE, PROMOTION_CODE_ID } from '../../domain/partner.js';
import { CommissionPlanDto } from '../../../shared-kernel/commission-plan.dto.js';
import { NotBlank } from '../../../../libs/http/validation.js';

export class UpdatePartnerRequest {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @NotBlank()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsEmail()
  @MaxLength(320)
  email?: string;

  @ApiPropertyOptional({ description: 'applies to invoices generated after the change' })
  @IsOptional()
  @IsString()
  @Length(3, 3)
  @Matches(/^[a-zA-Z]{3}$/)
  currency?: string;

  @ApiPropertyOptional({ type: CommissionPlanDto, nullable: true, description: 'null removes the override; applies to later payments only' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => CommissionPlanDto)
  commissionPlan?: CommissionPlanDto | null;

  @ApiPropertyOptional({
    type: [String],
    example: ['promo_1PgxYz2eZvKYlo2C', 'JANE20'],
    description:
      'Stripe promotion code ids (promo_…) or customer-facing codes (case-insensitive) that attribute payments to this partner; unique within the company; replaces the list',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_PROMOTION_CODES)
  @IsString({ each: true })
  @Matches(new RegExp(`${PROMOTION_CODE_ID.source}|${PROMOTION_CODE.source}`), {
    each: true,
    message: 'promotionCodes must be promotion code ids (promo_…) or codes of letters, digits, dashes and underscores (at most 100)',
  })
  promotionCodes?: string[];
}
