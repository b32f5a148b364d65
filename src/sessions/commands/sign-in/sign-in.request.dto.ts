import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

/** One of the two: an admin or partner API key, or the token of a partner's login link. */
export class SignInRequest {
  @ApiPropertyOptional({ description: 'a company admin or partner API key', example: 'pf_admin_…' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  apiKey?: string;

  @ApiPropertyOptional({ description: 'the `token` of a partner login link (`/portal/login?token=…`); works once' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  loginToken?: string;
}
