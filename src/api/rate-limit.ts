/**
 * Per-key rate limiting: one token bucket per API key (capacity = the configured requests per
 * minute, refilled continuously). An empty bucket answers 429 `rate_limited` with `Retry-After`.
 * The buckets live in this process: with several instances each allows the full rate; a shared
 * limiter (PostgreSQL or Redis) can replace `createTokenBuckets` behind the same `RateLimiter` type.
 */
import type { RequestHandler } from 'express';
import { callerOf } from './auth/middleware.ts';
import { apiErrors } from './errors.ts';

export interface Take { allowed: boolean; remaining: number; retryAfterS: number }

export interface RateLimiter {
  readonly limit: number;
  take(key: string, nowMs: number): Take;
}

interface Bucket { tokens: number; updatedMs: number }

/** Buckets idle long enough to be full again are dropped when the map grows past this size. */
const SWEEP_ABOVE = 10_000;

export function createTokenBuckets(perMinute: number): RateLimiter {
  const ratePerMs = perMinute / 60_000;
  const buckets = new Map<string, Bucket>();

  const sweep = (nowMs: number) => {
    for (const [key, b] of buckets) if (b.tokens + (nowMs - b.updatedMs) * ratePerMs >= perMinute) buckets.delete(key);
  };

  return {
    limit: perMinute,
    take(key, nowMs) {
      let bucket = buckets.get(key);
      if (!bucket) {
        if (buckets.size >= SWEEP_ABOVE) sweep(nowMs);
        bucket = { tokens: perMinute, updatedMs: nowMs };
        buckets.set(key, bucket);
      }
      bucket.tokens = Math.min(perMinute, bucket.tokens + Math.max(0, nowMs - bucket.updatedMs) * ratePerMs);
      bucket.updatedMs = nowMs;
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { allowed: true, remaining: Math.floor(bucket.tokens), retryAfterS: 0 };
      }
      return { allowed: false, remaining: 0, retryAfterS: Math.max(1, Math.ceil((1 - bucket.tokens) / ratePerMs / 1000)) };
    },
  };
}

/** Mounted after the auth middleware: counts each request against its key. */
export function rateLimitMiddleware(limiter: RateLimiter, nowMs: () => number = Date.now): RequestHandler {
  return (req, res, next) => {
    const result = limiter.take(callerOf(req).keyId, nowMs());
    res.setHeader('RateLimit-Limit', String(limiter.limit));
    res.setHeader('RateLimit-Remaining', String(result.remaining));
    if (!result.allowed) throw apiErrors.rateLimited(result.retryAfterS);
    next();
  };
}
