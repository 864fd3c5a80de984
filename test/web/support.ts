/**
 * The app for the browser tests: the dev set in an in-memory PGlite store (test/api/support.ts),
 * the keys of the role matrix, and a second app over the same store with the web ports given —
 * the feedback port is a test double writing to feedback_events until the feedback loop is merged.
 */
import { startTestApi, type TestApi } from '../api/support.ts';
import { createFeedbackDouble } from './feedback-double.ts';

export interface WebTestApp extends TestApi {
  /** The app with the feedback port (double). */
  webUrl: string;
}

export async function startWebTestApp(): Promise<WebTestApp> {
  const api = await startTestApi('pglite');
  const web = await api.startAnother({}, { web: { feedback: createFeedbackDouble(api.store) } });
  return { ...api, webUrl: web.url };
}
