import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';

export class LoginLinkRequest {
  @ApiPropertyOptional({ description: 'also e-mail the link to the partner (needs SMTP_URL)', default: false })
  @IsOptional()
  @IsBoolean()
  send?: boolean;
}
