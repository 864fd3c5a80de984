/** Pieces of the web pages without a browser nor a database: HTML escaping, highlighting, scores, cookies, CSRF, sessions. */
import { describe, expect, it } from 'vitest';
import type { Request, Response } from 'express';
import { html, queryString, raw } from '../../src/web/html.ts';
import { highlight, scorePercent } from '../../src/web/present.ts';
import { createCsrf, createSessionStore, readCookies, setCookie } from '../../src/web/session.ts';
import { errorsByField } from '../../src/web/forms.ts';
import { safeBack } from '../../src/web/context.ts';

const caller = { keyId: 'key_1', role: 'delegate' as const, regions: ['53'], structureId: null };

describe('html templates', () => {
  it('escape every interpolated value unless it is already html', () => {
    const name = '<script>alert("x")</script>';
    expect(html`<p title="${name}">${name}${raw('<br>')}</p>`.value)
      .toBe('<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;<br></p>');
  });
  it('render lists, and nothing for false, null and undefined', () => {
    expect(html`<ul>${['a', 'b'].map((x) => html`<li>${x}</li>`)}${false}${null}${undefined}</ul>`.value).toBe('<ul><li>a</li><li>b</li></ul>');
  });
  it('keep only the filled values in a query string', () => {
    expect(queryString({ region: '53', q: '', page: undefined, pillar: 'logistics' })).toBe('?region=53&pillar=logistics');
  });
});

describe('presentation', () => {
  it('highlights whole words only, ignoring case, and escapes the rest', () => {
    expect(highlight('Courrier & courriers du Courrier', ['courrier']).value)
      .toBe('<mark>Courrier</mark> &amp; courriers du <mark>Courrier</mark>');
  });
  it('puts the score on the scale of the model, 0 % to 100 %', () => {
    const model = { bias: 0, weights: Float64Array.from([2, 1, -1]) };
    expect(scorePercent(-1, model)).toBe(0);
    expect(scorePercent(3, model)).toBe(100);
    expect(scorePercent(1, model)).toBe(50);
  });
  it('groups field errors by their first path segment', () => {
    expect(errorsByField([{ path: 'needs.0', message: 'a' }, { path: 'postal_code', message: 'b' }, { path: 'needs', message: 'c' }]))
      .toEqual({ needs: ['a', 'c'], postal_code: ['b'] });
  });
  it('comes back only to a local path', () => {
    expect(safeBack('/structures/x')).toBe('/structures/x');
    expect(safeBack('//evil.example/')).toBe('/');
    expect(safeBack('https://evil.example/')).toBe('/');
    expect(safeBack('/\\evil')).toBe('/');
  });
});

describe('cookies, CSRF and sessions', () => {
  function cookieOf(secure: boolean): string {
    const headers: string[] = [];
    setCookie({ secure } as Request, { append: (_n: string, v: string) => { headers.push(v); } } as unknown as Response, 'passerelles_session', 'abc');
    return headers[0];
  }
  it('set the session cookie HttpOnly and SameSite, Secure only over HTTPS', () => {
    expect(cookieOf(false)).toBe('passerelles_session=abc; Path=/; HttpOnly; SameSite=Lax');
    expect(cookieOf(true)).toBe('passerelles_session=abc; Path=/; HttpOnly; SameSite=Lax; Secure');
  });
  it('read cookies from the header', () => {
    expect(readCookies({ get: () => 'a=1; passerelles_session=x%20y; bad' } as unknown as Request)).toEqual({ a: '1', passerelles_session: 'x y' });
  });
  it('accept the token of the same session only', () => {
    const csrf = createCsrf();
    const token = csrf.token('session-1');
    expect(csrf.valid('session-1', token)).toBe(true);
    expect(csrf.valid('session-2', token)).toBe(false);
    expect(csrf.valid('session-1', undefined)).toBe(false);
    expect(createCsrf().valid('session-1', token)).toBe(false);
  });
  it('end a session after the idle time and after the longest age', () => {
    const store = createSessionStore({ idleMs: 1000, maxAgeMs: 5000 });
    const s = store.create(caller, 'délégué', 0);
    expect(store.touch(s.id, 900)?.caller).toEqual(caller);
    expect(store.touch(s.id, 1800)).toBeDefined();
    expect(store.touch(s.id, 2900)).toBeUndefined();
    const t = store.create(caller, '', 10_000);
    for (let now = 10_500; now < 15_000; now += 500) expect(store.touch(t.id, now)).toBeDefined();
    expect(store.touch(t.id, 15_500)).toBeUndefined();
  });
});
