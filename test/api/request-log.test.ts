/**
 * The request log writes its closing line on 'close', outside any request handler: whatever the
 * state of the request then (a client gone, its socket already detached after a refused body), it
 * must never throw, or the service would stop on an uncaught exception.
 */
import { EventEmitter } from 'node:events';
import type { Request, Response } from 'express';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { requestLog } from '../../src/api/request-log.ts';

function fakeExchange() {
  const req = Object.assign(new EventEmitter(), {
    headers: {}, method: 'POST', originalUrl: '/api/v1/structures/import', socket: { remoteAddress: '127.0.0.1' } as { remoteAddress: string } | null,
  });
  const res = Object.assign(new EventEmitter(), { statusCode: 413, setHeader: () => {} });
  return { req, res };
}

describe('the request log', () => {
  it('writes the closing line of a request whose socket was detached before it closed, with the client address read at its start', () => {
    const lines: Record<string, unknown>[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => { lines.push(JSON.parse(line) as Record<string, unknown>); } });
    const middleware = requestLog({ logger, props: () => ({}), level: () => 'info', url: (u) => u });
    const { req, res } = fakeExchange();
    middleware(req as unknown as Request, res as unknown as Response, () => {});
    req.socket = null; // what Node does once the client went away
    expect(() => res.emit('close')).not.toThrow();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ msg: 'request completed', req: { method: 'POST', remoteAddress: '127.0.0.1' }, res: { statusCode: 413 } });
  });
});
