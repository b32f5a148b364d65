import { ApiProperty } from '@nestjs/swagger';

export class ProjectionStatusResponse {
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['projection', 'reactor'] }) kind!: string;
  @ApiProperty({ enum: ['running', 'rebuilding', 'failed'] }) status!: string;
  @ApiProperty({ description: 'global position of the last event processed' }) position!: number;
  @ApiProperty({ description: 'opaque checkpoint of the last event processed' }) checkpoint!: string;
  @ApiProperty({ description: 'events not processed yet' }) lag!: number;
  @ApiProperty({ type: String, nullable: true, description: 'hash of the read model rows, equal for equal contents (null for reactors, or when not asked)' }) checksum!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'the event it stopped at and why' }) lastError!: string | null;
}

export class ProjectionStatusListResponse {
  @ApiProperty({ type: [ProjectionStatusResponse] }) data!: ProjectionStatusResponse[];
}
