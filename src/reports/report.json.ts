/** The JSON report: the report's data as it is, for other tools. */
import type { ReportData } from './report.types.ts';

export const REPORT_JSON_VERSION = 1;

export function reportJson(data: ReportData): string {
  return `${JSON.stringify({ version: REPORT_JSON_VERSION, ...data }, null, 2)}\n`;
}
