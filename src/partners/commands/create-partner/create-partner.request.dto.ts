import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEmail, IsObject, IsNotEmpty, IsOptional, IsString, Length, Matches, MaxLength, ValidateNested } from 'class-validator';
import { CommissionPlanDto } from '../../../shared-kernel/commission-plan.dto.js';
import { NotBlank } from '../../../../libs/http/validation.js';

export class CreatePartnerRequest {
  @ApiProperty({ example: 'Jane Partner' })
  @IsString()
  @IsNotEmpty()
  @NotBlank()
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: 'jane@partner.example' })
  @IsEmail()
  @MaxLength(320)
  email!: string;

  @ApiProperty({ example: 'eur', description: 'the currency the partner is invoiced and paid in' })
  @IsString()
  @Length(3, 3)
  @Matches(/^[a-zA-Z]{3}$/)
  currency!: string;

  @ApiPropertyOptional({ type: CommissionPlanDto, description: 'overrides the company plan' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => CommissionPlanDto)
  commissionPlan?: CommissionPlanDto;
}
