import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { AppModule } from './app.module.js';
import type { CoreDeps } from './core/core.module.js';
import { openApiDocument } from './openapi-document.js';
import { loadConfig } from '../libs/config/config.js';
import { createLogger } from '../libs/logging/logger.js';

/**
 * The OpenAPI document without a database: Nest in preview mode reads the modules' routes and DTOs
 * without instantiating providers, so the infrastructure can stay unopened placeholders.
 */
export async function offlineOpenApiDocument(): Promise<OpenAPIObject> {
  const placeholder = {} as never;
  const deps: CoreDeps = {
    config: loadConfig({}),
    orm: placeholder,
    store: placeholder,
    runner: placeholder,
    leader: placeholder,
    log: createLogger('silent'),
  };
  const app = await NestFactory.create(AppModule.forRoot(deps), { preview: true, logger: false, abortOnError: false });
  try {
    return openApiDocument(app);
  } finally {
    await app.close();
  }
}
