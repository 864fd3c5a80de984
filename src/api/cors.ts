/**
 * CORS, closed unless configured: with PASSERELLES_CORS_ORIGINS empty no CORS header is ever sent,
 * so browsers refuse cross-origin calls. Listed origins (or `*`) get the headers and preflights.
 * Keys travel in a header, not a cookie, so credentials are never allowed cross-origin.
 */
import type { RequestHandler } from 'express';

const ALLOWED_HEADERS = 'Authorization, Content-Type, X-API-Key, X-Request-Id';
const EXPOSED_HEADERS = 'X-Request-Id, RateLimit-Limit, RateLimit-Remaining, Retry-After';
const METHODS = 'GET, POST, PUT, PATCH, DELETE';

export function parseOrigins(setting: string): string[] {
  return setting.split(',').map((o) => o.trim().replace(/\/+$/, '')).filter(Boolean);
}

export function corsMiddleware(setting: string): RequestHandler {
  const origins = parseOrigins(setting);
  const any = origins.includes('*');
  return (req, res, next) => {
    const origin = req.get('origin');
    if (origins.length === 0 || !origin) { next(); return; }
    res.vary('Origin');
    if (!any && !origins.includes(origin)) { next(); return; }
    res.setHeader('Access-Control-Allow-Origin', any ? '*' : origin);
    res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
    if (req.method === 'OPTIONS' && req.get('access-control-request-method')) {
      res.setHeader('Access-Control-Allow-Methods', METHODS);
      res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
      res.setHeader('Access-Control-Max-Age', '600');
      res.status(204).end();
      return;
    }
    next();
  };
}
