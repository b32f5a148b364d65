import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Auth } from '../../libs/http/auth.js';
import { registry } from '../../libs/metrics/metrics.js';

/** The process's metrics for Prometheus, with the operator key (or without one on METRICS_PORT: libs/metrics/metrics-server.ts). */
@ApiTags('health')
@Controller('metrics')
export class MetricsController {
  @Get()
  @Auth('operator')
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text exposition format 0.0.4', schema: { type: 'string' } })
  async metrics(@Res() res: Response): Promise<void> {
    const text = await registry.metrics();
    res.status(200).type(registry.contentType).setHeader('Cache-Control', 'no-store');
    res.send(text);
  }
}
