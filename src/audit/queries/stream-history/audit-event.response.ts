import { ApiProperty } from '@nestjs/swagger';

export class AuditEventResponse {
  @ApiProperty({ example: 'lead-<companyId>-<leadId>' }) streamId!: string;
  @ApiProperty({ example: 'LeadCreated' }) type!: string;
  @ApiProperty({ description: 'position in the stream, from 1' }) version!: number;
  @ApiProperty({ description: 'position in the store-wide order' }) globalPosition!: number;
  @ApiProperty() occurredAt!: string;
  @ApiProperty({ description: 'schema version of `data` as shown (older events are upcast)' }) schemaVersion!: number;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'the event data, without encrypted secrets or key hashes' }) data!: Record<
    string,
    unknown
  >;
}

export class AuditEventListResponse {
  @ApiProperty({ type: [AuditEventResponse] }) data!: AuditEventResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
