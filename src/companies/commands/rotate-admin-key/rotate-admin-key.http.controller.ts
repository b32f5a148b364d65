import { Controller, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Auth, Caller, type AdminPrincipal } from '../../../../libs/http/auth.js';
import { RotateAdminKey } from './rotate-admin-key.handler.js';

class RotatedAdminKeyResponse {
  @ApiProperty({ description: 'shown once; the previous key no longer works' }) adminApiKey!: string;
}

@ApiTags('company')
@Controller('v1/company/api-keys')
export class RotateAdminKeyController {
  constructor(private readonly commands: CommandBus) {}

  @Post('rotate')
  @HttpCode(200)
  @Auth('admin')
  @ApiOkResponse({ type: RotatedAdminKeyResponse, description: 'a new one-time admin key; the old one stops working at once' })
  async rotate(@Caller() caller: AdminPrincipal, @Res({ passthrough: true }) res: Response): Promise<RotatedAdminKeyResponse> {
    const { adminApiKey } = await this.commands.execute(new RotateAdminKey(caller.companyId));
    res.setHeader('Cache-Control', 'no-store');
    return { adminApiKey };
  }
}
