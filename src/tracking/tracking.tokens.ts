/** The time the tracking commands stamp clicks with (tests move it). */
export interface Clock {
  now(): Date;
}
export const TRACKING_CLOCK = Symbol('TRACKING_CLOCK');
export const systemClock: Clock = { now: () => new Date() };
