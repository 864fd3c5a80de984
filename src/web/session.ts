/**
 * Sessions of the web pages. An account key is presented once on the sign-in form and exchanged
 * for a random session id kept in an HttpOnly, SameSite=Lax cookie (Secure when the request came
 * over HTTPS); the key itself is never stored, only the caller it stands for. A session ends on
 * sign-out, after `idleMs` without a request, after `maxAgeMs` in all, or as soon as its key is
 * revoked or expires (checked on every request).
 *
 * CSRF: every form carries a token, the HMAC of the session id (or, before sign-in, of a random
 * visitor cookie) under a per-process secret; a POST without the right token is refused (403).
 *
 * Sessions live in this process's memory: a restart signs everyone out (a shared store can
 * replace `createSessionStore` behind the same type).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Caller } from '../access/access.policy.ts';

export const SESSION_COOKIE = 'passerelles_session';
export const VISITOR_COOKIE = 'passerelles_visiteur';

export interface Flash { kind: 'success' | 'info' | 'error'; text: string; undo?: { structureId: string; resourceId: string } }

export interface WebSession {
  id: string;
  caller: Caller;
  /** Label of the key (whom it was given to), shown in the header. */
  label: string;
  createdAt: number;
  lastSeen: number;
  /** One message shown on the next page (post/redirect/get). */
  flash?: Flash;
}

export interface SessionOptions { idleMs: number; maxAgeMs: number }

export const DEFAULT_SESSION_OPTIONS: SessionOptions = { idleMs: 30 * 60_000, maxAgeMs: 8 * 3600_000 };

export function createSessionStore(options: SessionOptions = DEFAULT_SESSION_OPTIONS) {
  const sessions = new Map<string, WebSession>();
  const expired = (s: WebSession, now: number) => now - s.lastSeen > options.idleMs || now - s.createdAt > options.maxAgeMs;
  return {
    create(caller: Caller, label: string, now: number): WebSession {
      for (const [id, s] of sessions) if (expired(s, now)) sessions.delete(id);
      const session = { id: randomBytes(32).toString('base64url'), caller, label, createdAt: now, lastSeen: now };
      sessions.set(session.id, session);
      return session;
    },
    /** The live session of this id (its idle clock restarted), or undefined. */
    touch(id: string, now: number): WebSession | undefined {
      const s = sessions.get(id);
      if (!s) return undefined;
      if (expired(s, now)) { sessions.delete(id); return undefined; }
      s.lastSeen = now;
      return s;
    },
    destroy(id: string): void { sessions.delete(id); },
  };
}
export type SessionStore = ReturnType<typeof createSessionStore>;

/** Cookies of a request (no dependency: the header is `a=b; c=d`). */
export function readCookies(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    try { out[name] = decodeURIComponent(part.slice(eq + 1).trim()); } catch { /* ignore a malformed cookie */ }
  }
  return out;
}

export function setCookie(req: Request, res: Response, name: string, value: string, maxAgeS?: number): void {
  const parts = [`${name}=${encodeURIComponent(value)}`, 'Path=/', 'HttpOnly', 'SameSite=Lax'];
  if (req.secure) parts.push('Secure');
  if (maxAgeS !== undefined) parts.push(`Max-Age=${maxAgeS}`);
  res.append('Set-Cookie', parts.join('; '));
}

export const clearCookie = (req: Request, res: Response, name: string) => setCookie(req, res, name, '', 0);

/** Tokens of the forms, bound to a session or visitor id. */
export function createCsrf(secret: Buffer = randomBytes(32)) {
  const token = (binding: string) => createHmac('sha256', secret).update(binding).digest('base64url');
  return {
    token,
    valid(binding: string, presented: unknown): boolean {
      if (typeof presented !== 'string' || !binding) return false;
      const expected = Buffer.from(token(binding));
      const given = Buffer.from(presented);
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}
export type Csrf = ReturnType<typeof createCsrf>;
