import { ApiProperty } from '@nestjs/swagger';
import { WEBHOOK_EVENT_TYPES } from '../../domain/webhook-event-types.js';

export class WebhookEndpointResponse {
  @ApiProperty({ example: 'we_3kTq…' }) id!: string;
  @ApiProperty({ example: 'https://crm.acme.test/partnerflow' }) url!: string;
  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, isArray: true }) events!: string[];
  @ApiProperty({ type: String, nullable: true }) description!: string | null;
  @ApiProperty({ enum: ['enabled', 'disabled'], description: 'disabled: deliveries failed for 3 days; no more are sent' }) status!: 'enabled' | 'disabled';
  @ApiProperty({ type: String, nullable: true }) disabledAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'why it was disabled (the last answer)' }) disabledReason!: string | null;
  @ApiProperty() createdAt!: string;
}

export class CreatedWebhookEndpointResponse extends WebhookEndpointResponse {
  @ApiProperty({ example: 'whsec_…', description: 'the signing secret, shown once: verify Partnerflow-Signature with it' }) secret!: string;
}

export class WebhookEndpointListResponse {
  @ApiProperty({ type: [WebhookEndpointResponse] }) data!: WebhookEndpointResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
