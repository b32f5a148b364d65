import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { AppConfig } from '../../libs/config/config.js';
import type { EventStore } from '../../libs/event-store/event-store.port.js';
import type { SubscriptionRunner } from '../../libs/event-store/subscription-runner.js';
import type { LeaderLock } from '../../libs/event-store/leader-lock.js';
import type { Logger } from '../../libs/logging/logger.js';
import { AUTH_FAILURES, OPERATOR_KEY } from '../../libs/http/auth.js';
import { AuthFailureLimiter } from '../../libs/http/auth-failure-limiter.js';
import { CLOCK, CONFIG, EVENT_STORE, LEADER, LOGGER, ORM, RUNNER } from './tokens.js';
import { systemClock, type Clock } from '../../libs/event-store/command-handling.js';
import { EventSourcing } from './event-sourcing.service.js';

export interface CoreDeps {
  config: AppConfig;
  orm: MikroORM;
  store: EventStore;
  runner: SubscriptionRunner;
  leader: LeaderLock;
  log: Logger;
  /** Defaults to the system clock. */
  clock?: Clock;
}

/** The infrastructure made before Nest starts, shared with every module. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(deps: CoreDeps): DynamicModule {
    const values = [
      { provide: CONFIG, useValue: deps.config },
      { provide: ORM, useValue: deps.orm },
      { provide: EVENT_STORE, useValue: deps.store },
      { provide: RUNNER, useValue: deps.runner },
      { provide: LEADER, useValue: deps.leader },
      { provide: LOGGER, useValue: deps.log },
      { provide: CLOCK, useValue: deps.clock ?? systemClock },
      { provide: OPERATOR_KEY, useValue: deps.config.operatorApiKey },
    ];
    const authFailures = {
      provide: AUTH_FAILURES,
      useFactory: () => new AuthFailureLimiter(deps.config.authFailuresPerMinute, deps.orm.config.get('clientUrl')),
    };
    return {
      module: CoreModule,
      providers: [...values, authFailures, EventSourcing],
      exports: [...values.map((v) => v.provide), AUTH_FAILURES, EventSourcing],
    };
  }
}
