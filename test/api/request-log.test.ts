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
import { takingTurns } from '../../src/api/turns.ts';

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

  it('counts a request’s time from its arrival, the wait for its turn included', () => {
    const lines: Record<string, unknown>[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => { lines.push(JSON.parse(line) as Record<string, unknown>); } });
    const middleware = requestLog({ logger, props: () => ({}), level: () => 'info', url: (u) => u });
    const deferred: (() => void)[] = [];
    let clock = 0;
    const turns = takingTurns((req, res) => middleware(req as Request, res as unknown as Response, () => {}), {
      sliceMs: 5, now: () => clock, defer: (fn) => { deferred.push(fn); },
    });
    const first = fakeExchange();
    const waiting = fakeExchange();
    turns.listener(first.req as never, first.res as never);
    clock = 10; // the first request's work: the turn's slice is spent, the next one waits
    turns.listener(waiting.req as never, waiting.res as never);
    const arrived = Date.now();
    while (Date.now() - arrived < 30) { /* 30 ms before its turn comes */ }
    deferred.splice(0).forEach((fn) => fn());
    waiting.res.emit('close');
    expect(lines).toHaveLength(1);
    expect(lines[0].responseTime).toBeGreaterThanOrEqual(30);
  });
});
