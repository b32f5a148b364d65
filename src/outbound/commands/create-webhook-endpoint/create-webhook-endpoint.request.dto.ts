import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsString, MaxLength } from 'class-validator';
import { NotBlank, OptionalNotNull } from '../../../../libs/http/validation.js';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '../../domain/webhook-event-types.js';
import { MAX_URL_LENGTH } from '../../domain/endpoint-url.js';

export class CreateWebhookEndpointRequest {
  @ApiProperty({
    example: 'https://crm.acme.test/partnerflow',
    description: 'https, reachable from the internet (not a private, loopback or link-local address)',
  })
  @IsString()
  @MaxLength(MAX_URL_LENGTH)
  url!: string;

  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, isArray: true, example: ['invoice.paid', 'commission.created'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @ArrayUnique()
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true })
  events!: WebhookEventType[];

  @ApiPropertyOptional({ maxLength: 500 })
  @OptionalNotNull()
  @IsString()
  @NotBlank()
  @MaxLength(500)
  description?: string;
}
