import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsArray, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { NotBlank } from '../../../../libs/http/validation.js';
import { MAX_BULK_REVIEW_ITEMS, MAX_DECLINE_REASON } from './bulk-review.handler.js';

export class DeclineCommissionRequest {
  @ApiProperty({ example: 'self-referral: the partner bought through their own link', maxLength: MAX_DECLINE_REASON })
  @IsString()
  @IsNotEmpty()
  @NotBlank()
  @MaxLength(MAX_DECLINE_REASON)
  reason!: string;
}

export class BulkReviewItem {
  @ApiProperty() commissionId!: string;
  @ApiProperty({ enum: ['approve', 'decline'] }) action!: string;
  @ApiPropertyOptional({ description: 'required to decline' }) reason?: string;
}

export class BulkReviewRequest {
  @ApiProperty({ type: [BulkReviewItem], description: `1 to ${MAX_BULK_REVIEW_ITEMS} rows; each row is validated and reviewed on its own` })
  @IsArray()
  items!: unknown[];
}
