/**
 * The request log: one closing line per request (`request completed`, or `request errored` for a
 * 5xx), with the request id, method, address, status, time and who called; every line logged
 * during a request (`req.log`) carries `reqId`. It writes the lines pino-http wrote, with less work
 * per request: one child logger (pino-http made three, serializing the request into the bindings
 * of one and the caller into another), the closing line's fields given in one object, one listener.
 *
 * An incoming X-Request-Id (from a proxy) is kept when sane, otherwise a UUID is made; either way
 * it is echoed in the answer. Only what is needed to follow a request is written: never headers
 * (they carry the API key).
 */
import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from '../config/logger.ts';
import { arrivedAt } from './turns.ts';

declare module 'node:http' {
  interface IncomingMessage {
    /** The request id (X-Request-Id). */
    id: string;
    /** Logs with the request's id (and, once authenticated, its key id and role). */
    log: Logger;
  }
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface RequestLogOptions {
  logger: Logger;
  /** Fields of the closing line besides the request, the status and the time (model version…). */
  props(req: Request, res: Response): Record<string, unknown>;
  /** The closing line's level. */
  level(req: Request, res: Response): LogLevel;
  /** The URL as logged (keys in the address redacted). */
  url(url: string): string;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** A sane incoming X-Request-Id (from a proxy), else a new UUID. */
function requestId(req: Request): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

export function requestLog(o: RequestLogOptions): RequestHandler {
  return (req, res, next) => {
    // From its arrival: the time it waited for its turn (turns.ts) is part of what the client met.
    const started = arrivedAt(req);
    const id = requestId(req);
    res.setHeader('X-Request-Id', id);
    req.id = id;
    req.log = o.logger.child({ reqId: id });
    // Read now: when the client went away (a body refused with 413, a reset), the socket is already
    // detached from the request by the time 'close' comes.
    const remoteAddress = req.socket?.remoteAddress;
    // 'close' comes after 'finish', and also when the client went away first.
    res.once('close', () => {
      try {
        const level = o.level(req, res);
        if (!req.log.isLevelEnabled(level)) return;
        const status = res.statusCode;
        const line = {
          req: { id, method: req.method, url: o.url(req.originalUrl), remoteAddress },
          ...o.props(req, res),
          res: { statusCode: status },
          responseTime: Date.now() - started,
        };
        if (status >= 500) req.log[level]({ ...line, err: new Error(`failed with status code ${status}`) }, 'request errored');
        else req.log[level](line, 'request completed');
      } catch (e) {
        // A log line must never take the service down (this runs outside any request handler).
        o.logger.error({ err: e, reqId: id }, 'journal des requêtes : ligne impossible à écrire');
      }
    });
    next();
  };
}
