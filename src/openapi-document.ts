import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

/**
 * Stable names the typed client's functions take: `PartnersController.create` → `partnersCreate`, and a
 * method the controller's name already says is not repeated (`PayInvoiceController.pay` → `payInvoice`).
 */
export const operationId = (controllerKey: string, methodKey: string): string => {
  const resource = controllerKey.replace(/Controller$/, '');
  const lower = `${resource[0]!.toLowerCase()}${resource.slice(1)}`;
  return resource.toLowerCase().includes(methodKey.toLowerCase()) ? lower : `${lower}${methodKey[0]!.toUpperCase()}${methodKey.slice(1)}`;
};

/** The OpenAPI document of the app's routes: served at /docs-json and the source of clients/typescript. */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Partnerflow')
    .setDescription('Partner programs on Stripe: attribution, commissions, invoices, payouts')
    .setVersion('1')
    .addBearerAuth()
    .build();
  return SwaggerModule.createDocument(app, config, { operationIdFactory: operationId });
}
