import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { applyOperationDocs } from '../libs/http/openapi/apply-operation-docs.js';
import type { ModuleOpenApi } from '../libs/http/openapi/operation-docs.js';
import { apiDescription } from './api-description.js';
import { attributionOpenApi } from './attribution/index.js';
import { auditOpenApi } from './audit/index.js';
import { commissionsOpenApi } from './commissions/index.js';
import { companiesOpenApi } from './companies/index.js';
import { currencyOpenApi } from './currency/index.js';
import { healthOpenApi } from './health/index.js';
import { invoicingOpenApi } from './invoicing/index.js';
import { outboundOpenApi } from './outbound/index.js';
import { partnersOpenApi } from './partners/index.js';
import { payoutsOpenApi } from './payouts/index.js';
import { reportsOpenApi } from './reports/index.js';
import { sessionsOpenApi } from './sessions/index.js';
import { trackingOpenApi } from './tracking/index.js';

/** Each module's documentation of its operations (`<module>.openapi.ts`), in the order the reference shows them. */
export const moduleOpenApis: ModuleOpenApi[] = [
  companiesOpenApi,
  partnersOpenApi,
  attributionOpenApi,
  commissionsOpenApi,
  invoicingOpenApi,
  payoutsOpenApi,
  currencyOpenApi,
  reportsOpenApi,
  trackingOpenApi,
  outboundOpenApi,
  sessionsOpenApi,
  auditOpenApi,
  healthOpenApi,
];

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
    .setTitle('Partnerflow API')
    .setDescription(apiDescription)
    .setVersion('1')
    .setLicense('No license granted yet (all rights reserved): the project has not chosen one', 'https://choosealicense.com/no-permission/')
    .addServer('/', 'The server that serves this document (`npm start`: http://localhost:3000)')
    .build();
  const doc = SwaggerModule.createDocument(app, config, { operationIdFactory: operationId });
  // Self-hosted: whoever runs the server answers for it; the project itself publishes no support address.
  doc.info.contact = { name: 'The operator of this Partnerflow server' };
  doc.components = {
    ...doc.components,
    securitySchemes: {
      bearer: {
        type: 'http',
        scheme: 'bearer',
        description:
          'An API key sent as `Authorization: Bearer <key>`: the operator key (`OPERATOR_API_KEY` of the server), a company admin key ' +
          '(`pf_admin_…`) or a partner key (`pf_partner_…`). Keys are opaque random strings, not JWTs; they are shown once and stored hashed.',
      },
      session: {
        type: 'apiKey',
        in: 'cookie',
        name: 'pf_session',
        description:
          'The web console’s session cookie, set by `POST /v1/sessions` (HttpOnly, SameSite=Strict). Writes signed in by it need an `Origin` ' +
          'of this app. API clients send a Bearer key instead.',
      },
    },
  };
  return applyOperationDocs(doc, moduleOpenApis);
}
