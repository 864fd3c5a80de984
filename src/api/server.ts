/**
 * Runs an app on a port and stops it gracefully: `close()` stops accepting connections, lets the
 * requests in flight finish (their connections are then closed instead of kept alive), and after
 * `shutdownTimeoutMs` cuts whatever is still open. The caller closes the store afterwards.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestListener } from 'node:http';
import type { Logger } from '../config/logger.ts';
import { PasserellesError } from '../domain/errors.ts';
import { isExpressApp, requestClasses, type RequestClasses } from './request-classes.ts';
import { DEFAULT_SLICE_MS, takingTurns } from './turns.ts';

export interface StartOptions {
  app: RequestListener;
  port: number;
  host: string;
  logger: Logger;
  shutdownTimeoutMs: number;
  /** The classes of requests and responses, when `app` only dispatches to an Express app made later (which then adopts them). */
  requestClasses?: RequestClasses;
}

export interface RunningServer {
  /** Base URL, e.g. http://127.0.0.1:43127 (the real port when 0 was asked). */
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** A port that cannot be bound, said in French (before anything is loaded: `serve` binds first). */
export function listenError(e: NodeJS.ErrnoException, host: string, port: number): Error {
  if (e.code === 'EADDRINUSE') {
    return new PasserellesError('serve.port_in_use',
      `Le port ${port} est déjà utilisé sur ${host} : un autre programme (peut-être un autre Passerelles) l’occupe. `
      + `Arrêtez-le, ou choisissez un autre port, par exemple PORT=${port === 65535 ? port - 1 : port + 1} passerelles serve.`, 409);
  }
  if (e.code === 'EACCES') {
    return new PasserellesError('serve.port_denied',
      `Le port ${port} sur ${host} est réservé (ports sous 1024 : droits d’administrateur) : choisissez-en un autre avec PORT=…`, 409);
  }
  if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND') {
    return new PasserellesError('serve.bad_host', `L’adresse d’écoute « ${host} » n’existe pas sur cette machine : corrigez HOST.`, 409);
  }
  return e;
}

export async function startServer(options: StartOptions): Promise<RunningServer> {
  const { app, logger } = options;
  // Requests made with Express's prototypes: see request-classes.ts (the latency tail under load).
  const classes = options.requestClasses ?? requestClasses();
  if (isExpressApp(app)) classes.adopt(app);
  // Requests in arrival order, a few milliseconds per turn: see turns.ts (new connections starved under load).
  const turns = takingTurns(app, { sliceMs: DEFAULT_SLICE_MS });
  const server = createServer(classes.serverOptions);
  const inFlight = new Set<ServerResponse>();
  let closing: Promise<void> | undefined;

  // Before the app's listener: a request answered at once must already know it closes its connection.
  server.on('request', (_req: IncomingMessage, res: ServerResponse) => {
    inFlight.add(res);
    if (closing) res.shouldKeepAlive = false;
    res.once('close', () => inFlight.delete(res));
  });
  server.on('request', turns.listener);

  await new Promise<void>((resolve, reject) => {
    const failed = (e: NodeJS.ErrnoException) => reject(listenError(e, options.host, options.port));
    server.once('error', failed);
    server.listen(options.port, options.host, () => { server.off('error', failed); resolve(); });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  logger.info({ url }, 'HTTP server listening');

  const close = () => {
    closing ??= new Promise<void>((resolve) => {
      logger.info({ inFlight: inFlight.size }, 'HTTP server stopping');
      for (const res of inFlight) res.shouldKeepAlive = false;
      const timer = setTimeout(() => {
        logger.warn({ inFlight: inFlight.size }, 'shutdown timeout: closing remaining connections');
        server.closeAllConnections();
      }, options.shutdownTimeoutMs);
      timer.unref();
      server.close(() => {
        clearTimeout(timer);
        logger.info('HTTP server stopped');
        resolve();
      });
      server.closeIdleConnections();
    });
    return closing;
  };

  return { url, server, close };
}
