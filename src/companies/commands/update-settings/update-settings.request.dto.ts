import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsObject, IsString, Length, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { CommissionPlanDto } from '../../../commissions/commission-plan.dto.js';
import { NotBlank, OptionalNotNull } from '../../../../libs/http/validation.js';

export class InvoiceScheduleDto {
  @ApiProperty({ enum: ['weekly', 'monthly'] })
  @IsIn(['weekly', 'monthly'])
  frequency!: 'weekly' | 'monthly';

  @ApiProperty({ description: 'weekly: ISO weekday 1 (Monday) … 7; monthly: day of month 1 … 28' })
  @IsInt()
  @Min(1)
  @Max(28)
  day!: number;

  @ApiProperty({ description: 'days a commission stays pending (refund window)', minimum: 0, maximum: 365 })
  @IsInt()
  @Min(0)
  @Max(365)
  holdDays!: number;

  @ApiProperty({ description: 'minor units of the invoice currency; smaller totals roll to the next period', minimum: 0 })
  @IsInt()
  @Min(0)
  minimumPayout!: number;
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
}
