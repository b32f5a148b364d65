import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class SessionResponse {
  @ApiProperty({ enum: ['admin', 'partner'] }) role!: 'admin' | 'partner';
  @ApiProperty() companyId!: string;
  @ApiPropertyOptional({ description: 'for a partner' }) partnerId?: string;
}

export class LoginLinkResponse {
  @ApiProperty({ description: 'opens the partner portal signed in; works once', example: 'https://partners.example/portal/login?token=…' }) url!: string;
  @ApiProperty({ description: '24 hours after it was made' }) expiresAt!: string;
  @ApiProperty({ description: 'whether the link was e-mailed to the partner (`send: true`); the mail is queued and retried, never blocking this answer' })
  sent!: boolean;
}
