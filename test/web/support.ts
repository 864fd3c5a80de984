/**
 * The app for the browser tests: the dev set in an in-memory PGlite store (test/api/support.ts),
 * the keys of the role matrix, with the real feedback loop behind the pages' buttons.
 */
import { startTestApi, type TestApi } from '../api/support.ts';

export interface WebTestApp extends TestApi {
  /** Where the pages are served. */
  webUrl: string;
}

export async function startWebTestApp(): Promise<WebTestApp> {
  const api = await startTestApi('pglite');
  return { ...api, webUrl: api.url };
}
