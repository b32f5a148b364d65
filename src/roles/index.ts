/** The roles module's public face: what the app uses to run as web or worker. */
export { workerRoutesOnly } from './worker-routes.js';
export { AppendSignal } from './append-signal.js';
export { SignallingRunner } from './signalling-runner.js';
