import { ApiProperty } from '@nestjs/swagger';

export class WebhookDeliveryResponse {
  @ApiProperty({ example: 'wd_…' }) id!: string;
  @ApiProperty() endpointId!: string;
  @ApiProperty({ example: 'evt_…', description: 'the event id, the same on every attempt' }) eventId!: string;
  @ApiProperty({ example: 'invoice.paid' }) type!: string;
  @ApiProperty({ enum: ['pending', 'succeeded', 'failed'] }) status!: 'pending' | 'succeeded' | 'failed';
  @ApiProperty() attempts!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'HTTP status of the last answer; null when none came' }) lastStatusCode!: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'why the last attempt failed' }) lastError!: string | null;
  @ApiProperty({ type: String, nullable: true }) lastAttemptAt!: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'how long the last attempt took, in milliseconds' }) lastDurationMs!: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'when the next automatic attempt is due (pending only)' }) nextAttemptAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) succeededAt!: string | null;
  @ApiProperty() createdAt!: string;
}

export class WebhookDeliveryListResponse {
  @ApiProperty({ type: [WebhookDeliveryResponse], description: 'newest first' }) data!: WebhookDeliveryResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
