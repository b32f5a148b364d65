import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { OptionalNotNull } from '../../../../libs/http/validation.js';

/** One of the two: an admin or partner API key, or the token of a partner's login link. */
export class SignInRequest {
  @ApiPropertyOptional({ description: 'a company admin or partner API key', example: 'pf_admin_…' })
  @OptionalNotNull()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  apiKey?: string;

  @ApiPropertyOptional({ description: 'the `token` of a partner login link (`/portal/login?token=…`); works once' })
  @OptionalNotNull()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  loginToken?: string;
}
