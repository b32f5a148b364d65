export const CONFIG = Symbol('CONFIG');
export const ORM = Symbol('ORM');
export const EVENT_STORE = Symbol('EVENT_STORE');
export const RUNNER = Symbol('RUNNER');
export const LEADER = Symbol('LEADER');
export { LOGGER } from '../../libs/http/auth.js';
/** The wall clock (`Clock`), injected everywhere outside the domain so tests and replays control "now". */
export const CLOCK = Symbol('CLOCK');
