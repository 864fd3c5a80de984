/**
 * An API key has no place in an address: addresses end up in logs, proxies and browser histories.
 * A request whose query carries one of the usual key parameters is refused (400
 * `auth.key_in_url`, the key is to be treated as leaked), and its value is redacted from the URL
 * the request log writes.
 */
import type { RequestHandler } from 'express';
import { PasserellesError } from '../domain/errors.ts';

/** Query parameters clients use for a key (compared without case). */
export const KEY_PARAMS = ['api_key', 'apikey', 'key', 'token', 'access_token'];
const KEY_PARAM = new RegExp(`([?&](?:${KEY_PARAMS.join('|')})=)[^&#]*`, 'gi');

export const keyInUrl = (param: string) => new PasserellesError('auth.key_in_url',
  `Clé d’API refusée dans l’adresse (paramètre « ${param} ») : envoyez-la dans l’en-tête « Authorization: Bearer psk_… », `
  + 'et considérez cette clé comme divulguée (faites-la révoquer).', 400, { param });

/** The URL with the value of every key parameter replaced by `[caché]`. */
export const redactKeysInUrl = (url: string): string => url.replace(KEY_PARAM, '$1[caché]');

export const refuseKeyInUrl: RequestHandler = (req, _res, next) => {
  const found = Object.keys(req.query).find((name) => KEY_PARAMS.includes(name.toLowerCase()));
  if (found) throw keyInUrl(found);
  next();
};
