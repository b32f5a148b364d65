import { ApiProperty } from '@nestjs/swagger';

export class ParkedEventResponse {
  @ApiProperty({ description: 'id for /retry and /skip' }) id!: string;
  @ApiProperty({ description: 'the projection or reactor that could not process the event' }) subscriber!: string;
  @ApiProperty({ enum: ['projection', 'reactor'] }) kind!: string;
  @ApiProperty({
    enum: ['parked', 'waiting', 'retry_requested', 'skip_requested', 'resolved', 'skipped'],
    description:
      'parked: failed, waiting for the operator; waiting: behind an earlier parked event of the same key; resolved: applied on a retry; skipped: never applied',
  })
  status!: string;
  @ApiProperty() globalPosition!: number;
  @ApiProperty() streamId!: string;
  @ApiProperty() version!: number;
  @ApiProperty() eventType!: string;
  @ApiProperty({ type: String, nullable: true, description: 'later events with this key wait behind it (a projection: the stream; a reactor: its partition)' })
  key!: string | null;
  @ApiProperty() error!: string;
  @ApiProperty() attempts!: number;
  @ApiProperty() firstFailedAt!: string;
  @ApiProperty() lastFailedAt!: string;
  @ApiProperty({ type: String, nullable: true }) resolvedAt!: string | null;
}

export class ParkedEventListResponse {
  @ApiProperty({ type: [ParkedEventResponse] }) data!: ParkedEventResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
