import { ValidateBy, type ValidationOptions } from 'class-validator';
import { httpUrl, normalizeOrigin } from './http-url.js';

/** An absolute http(s) URL without credentials, spaces or control characters. */
export const IsHttpUrl = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isHttpUrl',
      validator: {
        validate: (v) => typeof v === 'string' && httpUrl(v) !== null,
        defaultMessage: (a) => `${a?.property} must be an absolute http or https URL`,
      },
    },
    options,
  );

/** An origin, `scheme://host[:port]` (http or https), with nothing after it. */
export const IsOrigin = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isOrigin',
      validator: {
        validate: (v) => typeof v === 'string' && normalizeOrigin(v) !== null,
        defaultMessage: (a) => `${a?.property} must be origins like https://www.example.com (scheme://host[:port], no path)`,
      },
    },
    options,
  );
