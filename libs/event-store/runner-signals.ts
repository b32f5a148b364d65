import { EventEmitter } from 'node:events';

/**
 * What a runner's loops wait on: `wake` (new events may be in the log: a local append, an operator's request, stopping)
 * and `progress` (a subscriber moved: waiters for a rebuild or a parked event look again).
 */
export class RunnerSignals {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  wake(): void {
    this.emitter.emit('wake');
  }

  progressed(): void {
    this.emitter.emit('progress');
  }

  onWake(listener: () => void): void {
    this.emitter.on('wake', listener);
  }

  offWake(listener: () => void): void {
    this.emitter.off('wake', listener);
  }

  /** Until a wake or `ms`. */
  sleep(ms: number): Promise<void> {
    return this.next('wake', ms);
  }

  /** Until some progress or `ms`. */
  nextProgress(ms: number): Promise<void> {
    return this.next('progress', ms);
  }

  private next(event: 'wake' | 'progress', ms: number): Promise<void> {
    return new Promise((ok) => {
      const done = () => {
        clearTimeout(timer);
        this.emitter.off(event, done);
        ok();
      };
      const timer = setTimeout(done, ms);
      this.emitter.on(event, done);
    });
  }
}
