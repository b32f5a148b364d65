import { Body, Controller, Get, Patch } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Auth, Caller, type AdminPrincipal } from '../../../../libs/http/auth.js';
import { UpdateSettingsRequest } from './update-settings.request.dto.js';
import { UpdateCompanySettings } from './update-settings.handler.js';
import { CompaniesQuery } from '../../queries/companies/companies.query.js';
import { CompanyResponse } from '../../company.response.js';
import { toCommissionPlan } from '../../../shared-kernel/commission-plan.dto.js';
import { normalizeCurrencyField } from '../../../../libs/http/currency-field.js';
import { httpUrl, normalizeOrigin, type TrackingSettings } from '../../domain/tracking-settings.js';
import type { TrackingSettingsDto } from './update-settings.request.dto.js';

/** The validated fields, normalized (URL serialization, lower-case unique origins); absent ones stay as they are. */
function trackingPatch(dto: TrackingSettingsDto): Partial<TrackingSettings> {
  const patch: Partial<TrackingSettings> = {};
  if (dto.landingUrl !== undefined) patch.landingUrl = httpUrl(dto.landingUrl)!.href;
  if (dto.cookieDays !== undefined) patch.cookieDays = dto.cookieDays;
  if (dto.model !== undefined) patch.model = dto.model;
  if (dto.allowedOrigins !== undefined) patch.allowedOrigins = [...new Set(dto.allowedOrigins.map((o) => normalizeOrigin(o)!))];
  return patch;
}

@ApiTags('company')
@Controller('v1/company')
export class CompanySettingsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly companies: CompaniesQuery,
  ) {}

  @Get()
  @Auth('admin')
  @ApiOkResponse({ type: CompanyResponse })
  get(@Caller() caller: AdminPrincipal): Promise<CompanyResponse> {
    return this.companies.get(caller.companyId);
  }

  @Patch()
  @Auth('admin')
  @ApiOkResponse({ type: CompanyResponse })
  async update(@Caller() caller: AdminPrincipal, @Body() body: UpdateSettingsRequest): Promise<CompanyResponse> {
    await this.commands.execute(
      new UpdateCompanySettings(caller.companyId, {
        name: body.name?.trim(),
        currency: body.currency === undefined ? undefined : normalizeCurrencyField(body.currency),
        invoiceSchedule: body.invoiceSchedule && { ...body.invoiceSchedule },
        commissionPlan: body.commissionPlan && toCommissionPlan(body.commissionPlan),
        notifications: body.notifications && { adminEmails: body.notifications.adminEmails.map((e) => e.trim()), disabled: body.notifications.disabled },
        stripeWriteBack: body.stripeWriteBack,
        tracking: body.tracking && trackingPatch(body.tracking),
        commissionReview: body.commissionReview,
        fraud: body.fraud && { refundRateThreshold: body.fraud.refundRateThreshold },
      }),
    );
    return this.companies.get(caller.companyId);
  }
}
