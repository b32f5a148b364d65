import { BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';
import { Matches, ValidateIf } from 'class-validator';

function flatten(errors: ValidationError[], parent = ''): { field: string; message: string }[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** DTO validation: unknown fields rejected, each failure named by its field path. */
export const validationPipe = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  transformOptions: { enableImplicitConversion: false },
  exceptionFactory: (errors) => {
    const list = flatten(errors);
    return new BadRequestException({ detail: list.map((e) => e.message).join('; '), code: 'validation_failed', errors: list });
  },
});

/** Like IsOptional, but `null` is validated (and refused) instead of skipped: absent means "unchanged". */
export const OptionalNotNull = () => ValidateIf((_object, value) => value !== undefined);

/** Text with something besides white space: a name of only spaces would be stored empty (the handlers trim). */
export const NotBlank = () => Matches(/\S/, { message: ({ property }) => `${property} must not be blank` });
