import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Auth, Caller, type AdminPrincipal } from '../../../../libs/http/auth.js';
import { LoginLinkResponse } from '../../session.response.js';
import { CreateLoginLink } from './login-link.handler.js';
import { LoginLinkRequest } from './login-link.request.dto.js';

@ApiTags('partners')
@Controller('v1/partners')
export class LoginLinkController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/login-link')
  @HttpCode(201)
  @Auth('admin')
  @ApiCreatedResponse({
    type: LoginLinkResponse,
    description: 'a one-time link, valid 24 hours, that signs the partner into the portal; recorded on the partner’s history without the token',
  })
  @ApiNotFoundResponse({ description: 'no such partner in this company' })
  @ApiBody({ type: LoginLinkRequest, required: false })
  @ApiConflictResponse({ description: 'the partner is deactivated (`partner_deactivated`), or `send: true` without SMTP configured (`mail_not_configured`)' })
  async create(
    @Caller() caller: AdminPrincipal,
    @Param('id') id: string,
    @Body() body: LoginLinkRequest = {},
    @Res({ passthrough: true }) res: Response,
  ): Promise<LoginLinkResponse> {
    res.setHeader('Cache-Control', 'no-store');
    return this.commands.execute(new CreateLoginLink(caller.companyId, id, new Date(), body.send === true));
  }
}
