/**
 * Requests made with Express's prototypes from the start (src/api/request-classes.ts): Express's
 * per-request `Object.setPrototypeOf` then finds them in place, and everything Express adds to a
 * request and a response still works.
 */
import { describe, expect, it } from 'vitest';
import express from 'express';
import { pino } from 'pino';
import type { IncomingMessage } from 'node:http';
import { startServer } from '../../src/api/server.ts';
import { requestClasses } from '../../src/api/request-classes.ts';

const logger = pino({ level: 'silent' });

/** An app answering with what Express gives a route, and the prototype each request was made with. */
function probedApp() {
  const app = express();
  app.set('etag', false);
  app.get('/probe/:id', (req, res) => {
    res.status(201).type('json').json({ id: req.params.id, q: req.query.q, host: req.hostname, accepts: req.accepts('json'), app: req.app === app });
  });
  return app;
}

describe('requests made with the app’s prototypes', () => {
  it('makes every request with the prototype Express would otherwise set on it, and Express’s methods still answer', async () => {
    const app = probedApp();
    const server = await startServer({ app, port: 0, host: '127.0.0.1', logger, shutdownTimeoutMs: 1000 });
    const madeWith: boolean[] = [];
    server.server.prependListener('request', (req: IncomingMessage) => { madeWith.push(Object.getPrototypeOf(req) === app.request); });
    const reply = await fetch(`${server.url}/probe/a%20b?q=x`, { headers: { accept: 'application/json' } });
    expect(reply.status).toBe(201);
    expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await reply.json()).toEqual({ id: 'a b', q: 'x', host: '127.0.0.1', accepts: 'json', app: true });
    expect(madeWith).toEqual([true]);
    await server.close();
  });

  it('lets an app made after the server adopt the classes, for requests made before and after', async () => {
    const classes = requestClasses();
    let handle: (req: IncomingMessage, res: import('node:http').ServerResponse) => void = (_req, res) => { res.statusCode = 503; res.end('loading'); };
    const server = await startServer({ requestClasses: classes, app: (req, res) => handle(req, res), port: 0, host: '127.0.0.1', logger, shutdownTimeoutMs: 1000 });
    expect((await fetch(`${server.url}/probe/1`)).status).toBe(503);
    const app = probedApp();
    classes.adopt(app);
    handle = app;
    const madeWith: boolean[] = [];
    server.server.prependListener('request', (req: IncomingMessage) => { madeWith.push(Object.getPrototypeOf(req) === app.request); });
    const reply = await fetch(`${server.url}/probe/2?q=y`);
    expect(await reply.json()).toMatchObject({ id: '2', q: 'y', app: true });
    expect(madeWith).toEqual([true]);
    expect(() => classes.adopt(probedApp())).toThrow(/already adopted/);
    await server.close();
  });
});
