import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { AppConfig } from '../../../../libs/config/config.js';
import { readSql } from '../../../../libs/database/sql.js';
import { decryptSecret } from '../../../../libs/crypto/secrets.js';
import type { Logger } from '../../../../libs/logging/logger.js';
import { deliveries } from '../../../../libs/metrics/metrics.js';
import { CLOCK, CONFIG, LOGGER, ORM } from '../../../core/tokens.js';
import type { Clock } from '../../../../libs/event-store/command-handling.js';
import { EventSourcing } from '../../../core/event-sourcing.service.js';
import { nextAttemptAt } from '../../domain/retry-schedule.js';
import { SIGNATURE_HEADER, signatureHeader } from '../../domain/webhook-signature.js';
import { decideDisableEndpoint, evolveWebhookEndpoint, initialWebhookEndpoint, webhookEndpointStream } from '../../domain/webhook-endpoint.js';
import { WebhookClient, type PostResult } from './webhook-client.js';

/** Deliveries in flight at once per endpoint in this process (one per resource at most: a resource's events keep their order). */
export const PER_ENDPOINT_CONCURRENCY = 16;
/** Deliveries in flight at once in this process. */
const TOTAL_CONCURRENCY = 512;
/**
 * A claimed delivery belongs to this process for this long (3 × the 10 s an attempt may take, with room for the
 * outcome's write); a process that dies leaves it to the others after, so a crash delays what was in flight by this much.
 */
const LEASE_MS = 30_000;
const POLL_MS = 250;

export interface ClaimedDelivery {
  id: string;
  company_id: string;
  endpoint_id: string;
  event_id: string;
  attempts: number;
  created_at: Date;
  url: string;
  secret_encrypted: string;
  body: string;
}

type Outcome = { delivery: ClaimedDelivery; result: PostResult; at: Date; manual: boolean };

/**
 * Sends what the webhook outbox holds (reactors/webhook-outbox.reactor.ts). Any number of processes may run it:
 * deliveries are claimed with a lease, so each attempt runs in one of them, and one a process died during is
 * attempted again after its lease (at least once; the event id never changes). Per endpoint at most
 * PER_ENDPOINT_CONCURRENCY in flight and one per resource, so a slow or dead endpoint only waits on itself.
 * Failures come back with exponential backoff and jitter for 3 days; then the endpoint is disabled.
 */
@Injectable()
export class WebhookSender implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly client: WebhookClient;
  private readonly inflight = new Map<string, number>();
  private total = 0;
  private running = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private pending: Outcome[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private readonly secrets = new Map<string, string>();
  private loggedAt = 0;

  constructor(
    @Inject(ORM) private readonly orm: MikroORM,
    @Inject(CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly log: Logger,
    private readonly es: EventSourcing,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.client = new WebhookClient(config.webhookAllowPrivate);
  }

  onApplicationBootstrap(): void {
    if (!this.config.runBackgroundJobs) return;
    this.running = true;
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    this.client.close();
  }

  /** New deliveries were recorded: look now instead of at the next poll. */
  wake(): void {
    this.wakeUp?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const claimed = await this.claim(this.clock.now());
        for (const d of claimed) void this.deliver(d, false);
        if (claimed.length === 0) await this.sleep();
      } catch (e) {
        if (Date.now() - this.loggedAt > 60_000) {
          this.loggedAt = Date.now();
          this.log.error({ err: e }, 'webhook sender cannot claim deliveries');
        }
        await this.sleep();
      }
    }
    while (this.total > 0) await new Promise((ok) => setTimeout(ok, 20));
    await this.flush();
  }

  private sleep(): Promise<void> {
    return new Promise((ok) => {
      const timer = setTimeout(done, POLL_MS);
      const self = this;
      function done() {
        clearTimeout(timer);
        self.wakeUp = undefined;
        ok();
      }
      this.wakeUp = done;
    });
  }

  /** Due deliveries, per endpoint up to its free slots, each the oldest pending one of its resource. */
  private async claim(now: Date): Promise<ClaimedDelivery[]> {
    const free = TOTAL_CONCURRENCY - this.total;
    if (free <= 0) return [];
    return readSql(this.orm).query<ClaimedDelivery>(
      `with due as (
         select d.id, d.next_attempt_at, d.seq from webhook_endpoints e
         cross join lateral (
           select d.id, d.next_attempt_at, d.seq from webhook_deliveries d
           where d.endpoint_id = e.id and d.status = 'pending' and d.next_attempt_at <= $1 and (d.lease_until is null or d.lease_until < $1)
             and not exists (select 1 from webhook_deliveries p where p.endpoint_id = d.endpoint_id and p.resource_key = d.resource_key and p.status = 'pending' and p.seq < d.seq)
           order by d.next_attempt_at, d.seq
           limit greatest(0, $2::int - coalesce(($3::jsonb ->> e.id)::int, 0))
         ) d
         where e.status = 'enabled'
         order by d.next_attempt_at, d.seq
         limit $4
       )
       update webhook_deliveries w set lease_until = $5
       from due, webhook_endpoints e, webhook_events v
       where w.id = due.id and e.id = w.endpoint_id and v.id = w.event_id and w.status = 'pending' and (w.lease_until is null or w.lease_until < $1)
       returning w.id, w.company_id, w.endpoint_id, w.event_id, w.attempts, w.created_at, e.url, e.secret_encrypted, v.body`,
      [now, PER_ENDPOINT_CONCURRENCY, JSON.stringify(Object.fromEntries(this.inflight)), free, new Date(now.getTime() + LEASE_MS)],
    );
  }

  /** One attempt: signed with the endpoint's secret at send time, recorded with its status code and timing. */
  async deliver(d: ClaimedDelivery, manual: boolean): Promise<Outcome> {
    this.inflight.set(d.endpoint_id, (this.inflight.get(d.endpoint_id) ?? 0) + 1);
    this.total++;
    try {
      const secret = this.secret(d.secret_encrypted);
      const result = await this.client.post(d.url, d.body, { [SIGNATURE_HEADER]: signatureHeader(secret, Math.floor(Date.now() / 1000), d.body) });
      const outcome: Outcome = { delivery: d, result, at: this.clock.now(), manual };
      deliveries.inc({ outcome: result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300 ? 'succeeded' : 'failed' });
      this.pending.push(outcome);
      await this.flush();
      return outcome;
    } finally {
      const left = (this.inflight.get(d.endpoint_id) ?? 1) - 1;
      if (left > 0) this.inflight.set(d.endpoint_id, left);
      else this.inflight.delete(d.endpoint_id);
      this.total--;
      this.wake();
    }
  }

  private secret(encrypted: string): string {
    let plain = this.secrets.get(encrypted);
    if (plain === undefined) {
      plain = decryptSecret(encrypted, this.config.encryptionKey);
      this.secrets.set(encrypted, plain);
    }
    return plain;
  }

  /** Outcomes are written together, one statement for all finished since the last write. */
  private flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      const batch = this.pending.splice(0);
      // not written (the database is away): the leases run out and the deliveries are attempted again, same event ids
      if (batch.length)
        await this.record(batch).catch((e: unknown) => this.log.error({ err: e, deliveries: batch.length }, 'webhook delivery outcomes not recorded'));
    });
    return this.flushing;
  }

  private async record(batch: Outcome[]): Promise<void> {
    const exhausted: Outcome[] = [];
    const rows = batch.map((o) => {
      const ok = o.result.statusCode !== null && o.result.statusCode >= 200 && o.result.statusCode < 300;
      const attempts = o.delivery.attempts + 1;
      // a manual retry is one more try: it leaves the schedule as it was
      const next = ok || o.manual ? undefined : nextAttemptAt(new Date(o.delivery.created_at), o.at, attempts, this.config.outboundRetryBaseMs);
      if (!ok && !o.manual && !next) exhausted.push(o);
      return [
        o.delivery.id,
        ok ? 'succeeded' : o.manual ? null : next ? 'pending' : 'failed',
        o.result.statusCode,
        o.result.error,
        o.at,
        o.result.durationMs,
        next ?? null,
        o.manual,
      ];
    });
    await readSql(this.orm).query(
      `update webhook_deliveries d set
         status = coalesce(v.status, d.status), attempts = d.attempts + 1, last_status_code = v.code, last_error = v.error, last_attempt_at = v.at,
         last_duration_ms = v.ms, next_attempt_at = case when v.manual and v.status is null then d.next_attempt_at else v.next end, lease_until = null,
         succeeded_at = case when v.status = 'succeeded' then v.at else d.succeeded_at end
       from unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::timestamptz[], $6::int[], $7::timestamptz[], $8::boolean[]) as v(id, status, code, error, at, ms, next, manual)
       where d.id = v.id`,
      [0, 1, 2, 3, 4, 5, 6, 7].map((i) => rows.map((r) => r[i])),
    );
    for (const o of exhausted) await this.disable(o);
  }

  /** The retry window is over: the endpoint is disabled (an event, which also tells the admins) and its queue closed. */
  private async disable(o: Outcome): Promise<void> {
    const { company_id: companyId, endpoint_id: endpointId } = o.delivery;
    const reason = o.result.statusCode !== null ? `last answer ${o.result.statusCode}` : (o.result.error ?? 'no answer');
    await this.es.execute(webhookEndpointStream(companyId, endpointId), initialWebhookEndpoint, evolveWebhookEndpoint, (state) => ({
      events: decideDisableEndpoint(state, {
        companyId,
        endpointId,
        reason,
        deliveryId: o.delivery.id,
        eventId: o.delivery.event_id,
        disabledAt: o.at.toISOString(),
      }),
    }));
    await readSql(this.orm).query(
      `update webhook_deliveries set status = 'failed', last_error = coalesce(last_error, 'endpoint disabled'), next_attempt_at = null where endpoint_id = $1 and status = 'pending'`,
      [endpointId],
    );
    this.log.warn({ companyId, endpointId, reason }, 'webhook endpoint disabled: deliveries failed for the whole retry window');
  }
}
