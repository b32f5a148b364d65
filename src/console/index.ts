/** The web console's public face: how the app serves it. */
export { serveConsole, stripeJsOrigins } from './console-static.js';
