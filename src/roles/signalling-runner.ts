import { SubscriptionRunner } from '../../libs/event-store/subscription-runner.js';
import type { AppendSignal } from './append-signal.js';

/** The subscription runner whose nudge after a local append also wakes the leader in another process (ROLE=web beside workers). */
export class SignallingRunner extends SubscriptionRunner {
  signal?: AppendSignal;

  override nudge(): void {
    super.nudge();
    this.signal?.notify();
  }

  /** Another process appended: wake this process's loops only. */
  wakeLocal(): void {
    super.nudge();
  }
}
