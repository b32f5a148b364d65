import type { IdempotencyStore } from './idempotency.js';
import { RestrictedKeys } from './restricted-keys.js';
import type { TestCard } from './test-cards.js';
import type { FaultSpec, Obj, ObjectKind, RecordedRequest, StripeEvent } from './types.js';

export const PLATFORM = 'platform';

export class EmulatorState {
  readonly objects = new Map<ObjectKind, Map<string, Obj>>();
  /** Which account namespace (PLATFORM or a connected account id) owns each object. */
  readonly owner = new Map<string, string>();
  /** Test-card behaviour of every PaymentMethod materialised from a `pm_card_*` token. */
  readonly cards = new Map<string, TestCard>();
  readonly events = new Map<string, StripeEvent[]>();
  readonly requests: RecordedRequest[] = [];
  faults: Array<FaultSpec & { remaining: number }> = [];
  /** Each webhook endpoint's signing secret and kind, which its object does not show. */
  readonly webhookSecrets = new Map<string, { secret: string; connect: boolean }>();
  /** Called with each event as it is recorded (the webhook forwarder listens here). */
  readonly listeners: Array<(event: StripeEvent, namespace: string) => void> = [];
  readonly restrictedKeys = new RestrictedKeys();
  /** Deleted customers by id, with their account: Stripe still answers a retrieve of one, as `{id, object, deleted: true}`. */
  readonly deletedCustomers = new Map<string, string>();

  constructor(
    readonly idempotency: IdempotencyStore,
    readonly baseUrl: () => string,
    /** The platform account's country (`GET /v1/account`); connected accounts default to it. */
    readonly platformCountry = 'US',
  ) {}

  table(kind: ObjectKind): Map<string, Obj> {
    let table = this.objects.get(kind);
    if (!table) this.objects.set(kind, (table = new Map()));
    return table;
  }

  put(kind: ObjectKind, obj: Obj, account: string = PLATFORM): Obj {
    this.table(kind).set(obj.id, obj);
    if (!this.owner.has(obj.id)) this.owner.set(obj.id, account);
    return obj;
  }

  get(kind: ObjectKind, id: string, account?: string): Obj | undefined {
    const obj = this.table(kind).get(id);
    if (!obj || (account !== undefined && this.owner.get(id) !== account)) return undefined;
    return obj;
  }

  /** Newest first, like every Stripe list. */
  list(kind: ObjectKind, account: string): Obj[] {
    return [...this.table(kind).values()].filter((o) => this.owner.get(o.id) === account).reverse();
  }

  eventsOf(account: string): StripeEvent[] {
    let list = this.events.get(account);
    if (!list) this.events.set(account, (list = []));
    return list;
  }

  isKnownAccount(id: string): boolean {
    return this.table('accounts').has(id) || this.events.has(id);
  }
}
