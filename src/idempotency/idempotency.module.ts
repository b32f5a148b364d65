import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { IdempotencyStore } from './idempotency-store.js';
import { IdempotencyInterceptor } from './idempotency.interceptor.js';
import { IdempotencyPurgeCron } from './idempotency-purge.cron.js';

/** `Idempotency-Key` on every authenticated POST, for all modules' routes (see idempotency.interceptor.ts). */
@Module({
  providers: [IdempotencyStore, IdempotencyPurgeCron, { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor }],
  exports: [IdempotencyStore],
})
export class IdempotencyModule {}
