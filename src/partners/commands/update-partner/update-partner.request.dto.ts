import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEmail, IsObject, IsNotEmpty, IsOptional, IsString, Length, Matches, MaxLength, ValidateNested } from 'class-validator';
import { CommissionPlanDto } from '../../../commissions/commission-plan.dto.js';
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
}
