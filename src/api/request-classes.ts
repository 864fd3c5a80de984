/**
 * Requests and responses made with Express's prototypes from the start, so that Express's own
 * per-request `Object.setPrototypeOf(req, app.request)` (and of `res`) finds the prototype already
 * there and changes nothing.
 *
 * Why: changing the prototype of every request object costs V8 dearly. Measured with one route
 * and autocannon at 10 connections on this machine, an Express 5 app as given answered 68,000
 * requests in 8 s and promoted 6 KB of each request to the old generation (406 MB), and these dead
 * objects were only freed by full mark-compacts. The same app served through these classes
 * answered 200,000–212,000 requests, p99 1 ms instead of 7, with 1 MB promoted in all. In
 * Passerelles the promotion showed as scavenges of 10–50 ms and a mark-compact every 1.5 s under
 * load: the latency tail.
 *
 * The server is made before the app (`serve` binds its port first), so the classes come first and
 * `adopt(app)` later: their prototypes then take every property of `app.request` / `app.response`
 * and of what they inherit from Express (methods, getters, `app`), and become the app's `request`
 * / `response`, so anything added to those afterwards lands on them too. A request made before
 * adopt has the same prototype object, filled in since. Apps mounted inside the app
 * (`app.use(subApp)`) would still swap prototypes per request; Passerelles mounts routers only.
 */
import { IncomingMessage, ServerResponse, type ServerOptions } from 'node:http';

/** What this needs of an Express app (`app.request`, `app.response`: its prototypes for req and res). */
export interface ExpressPrototypes {
  request: object;
  response: object;
}

export interface RequestClasses {
  /** For `http.createServer(options, listener)`. */
  serverOptions: ServerOptions;
  /** Makes the classes' prototypes the app's (once: a second app is refused). */
  adopt(app: ExpressPrototypes): void;
}

export const isExpressApp = (app: unknown): app is ExpressPrototypes =>
  typeof app === 'function' && typeof (app as Partial<ExpressPrototypes>).request === 'object'
  && typeof (app as Partial<ExpressPrototypes>).response === 'object';

/** Own properties of `top` and of its prototypes down to (not including) `base`, `top`'s last. */
function flatten(target: object, top: object, base: object): void {
  const chain: object[] = [];
  for (let p: object | null = top; p && p !== base; p = Object.getPrototypeOf(p) as object | null) chain.unshift(p);
  if (chain.length === 0 || Object.getPrototypeOf(chain[0]) !== base) {
    throw new Error('request-classes: the app’s prototype does not inherit from the node:http class');
  }
  for (const p of chain) Object.defineProperties(target, Object.getOwnPropertyDescriptors(p));
}

export function requestClasses(): RequestClasses {
  class Request extends IncomingMessage {}
  class Response extends ServerResponse {}
  let adopted = false;
  return {
    serverOptions: { IncomingMessage: Request, ServerResponse: Response as typeof ServerResponse },
    adopt(app) {
      if (app.request === Request.prototype) return;
      if (adopted) throw new Error('request-classes: already adopted by another app');
      adopted = true;
      flatten(Request.prototype, app.request, IncomingMessage.prototype);
      flatten(Response.prototype, app.response, ServerResponse.prototype);
      app.request = Request.prototype;
      app.response = Response.prototype;
    },
  };
}
