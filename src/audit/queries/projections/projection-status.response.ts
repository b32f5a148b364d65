import { ApiProperty } from '@nestjs/swagger';

export class ProjectionStatusResponse {
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['projection', 'reactor'] }) kind!: string;
  @ApiProperty({
    enum: ['running', 'rebuilding', 'failed'],
    description: 'failed: events are parked (see parked), or pages cannot be processed now (see lastError); the others still go on',
  })
  status!: string;
  @ApiProperty({ description: 'global position of the last event processed' }) position!: number;
  @ApiProperty({ description: 'opaque checkpoint of the last event processed' }) checkpoint!: string;
  @ApiProperty({ description: 'events not processed yet' }) lag!: number;
  @ApiProperty({ type: String, nullable: true, description: 'hash of the read model rows, equal for equal contents (null for reactors, or when not asked)' })
  checksum!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'why pages cannot be processed now, or the latest parked event and its error' }) lastError!:
    string | null;
  @ApiProperty({ description: 'events parked or waiting behind a parked one: GET /v1/admin/parked-events' }) parked!: number;
}

export class ProjectionStatusListResponse {
  @ApiProperty({ type: [ProjectionStatusResponse] }) data!: ProjectionStatusResponse[];
}
