/**
 * The CI step `scripts/audit.ts`: what npm audit's JSON means. A registry without an audit service
 * (405) is said plainly and does not fail CI; a high or critical advisory always does.
 */
import { describe, expect, it } from 'vitest';
import { auditVerdict, report } from '../scripts/audit.ts';

const counts = (over: Record<string, number>) => ({ info: 0, low: 0, moderate: 0, high: 0, critical: 0, total: 0, ...over });
const auditReport = (vulnerabilities: Record<string, { severity: string }>, over: Record<string, number>) => JSON.stringify({
  auditReportVersion: 2,
  vulnerabilities: Object.fromEntries(Object.entries(vulnerabilities).map(([name, v]) => [name, { name, ...v, isDirect: true, via: [] }])),
  metadata: { vulnerabilities: counts(over), dependencies: { prod: 120, dev: 0, total: 120 } },
});

/** What npm 11 prints with --json when the registry answers 405 to the bulk advisories endpoint. */
const REGISTRY_405 = JSON.stringify({
  message: '405 Method Not Allowed - POST https://registry.example/-/npm/v1/security/advisories/bulk',
  method: 'POST', uri: 'https://registry.example/-/npm/v1/security/advisories/bulk',
  headers: { allow: ['GET,HEAD'] }, statusCode: 405, body: '', error: { summary: '', detail: '' },
});

describe('the npm audit step of CI', () => {
  it('passes on a report without any advisory', () => {
    const verdict = auditVerdict(auditReport({}, {}));
    expect(verdict.outcome).toBe('clean');
    expect(report(verdict).exitCode).toBe(0);
  });

  it('passes on moderate and low advisories only, and counts them', () => {
    const verdict = auditVerdict(auditReport({ a: { severity: 'moderate' }, b: { severity: 'low' } }, { moderate: 1, low: 1, total: 2 }));
    expect(report(verdict)).toEqual({ exitCode: 0, line: expect.stringContaining('moderate 1, low 1') });
  });

  it('fails on a high advisory and names the package', () => {
    const verdict = auditVerdict(auditReport({ express: { severity: 'high' }, ms: { severity: 'low' } }, { high: 1, low: 1, total: 2 }));
    expect(verdict).toMatchObject({ outcome: 'findings', packages: ['express (high)'] });
    expect(report(verdict)).toEqual({ exitCode: 1, line: expect.stringContaining('express (high)') });
  });

  it('fails on a critical advisory', () => {
    expect(report(auditVerdict(auditReport({ pino: { severity: 'critical' } }, { critical: 1, total: 1 }))).exitCode).toBe(1);
  });

  it('says plainly that nothing was checked when the registry answers 405, without failing', () => {
    const verdict = auditVerdict(REGISTRY_405);
    expect(verdict).toMatchObject({ outcome: 'not_checked', reason: expect.stringContaining('HTTP 405') });
    const { line, exitCode } = report(verdict);
    expect(exitCode).toBe(0);
    expect(line).toMatch(/NON VÉRIFIÉ/);
  });

  it('says that nothing was checked when the registry cannot be reached', () => {
    const verdict = auditVerdict(JSON.stringify({ error: { code: 'ENOTFOUND', summary: 'getaddrinfo ENOTFOUND registry.example' } }));
    expect(verdict.outcome).toBe('not_checked');
    expect(report(verdict).exitCode).toBe(0);
  });

  it('fails when npm prints something it does not understand, so the step cannot pass silently', () => {
    expect(report(auditVerdict('')).exitCode).toBe(1);
    expect(report(auditVerdict('npm ERR! something')).exitCode).toBe(1);
    expect(report(auditVerdict(JSON.stringify({ auditReportVersion: 3 }))).exitCode).toBe(1);
  });
});
