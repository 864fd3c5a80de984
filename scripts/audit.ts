/**
 * `npm audit --omit=dev` as a CI step: fails on a high or critical advisory in what the service
 * runs (dependencies, not devDependencies), passes on a clean report, and says plainly when the
 * registry could not answer (some registries and mirrors answer 405 to the audit endpoint): then
 * nothing was checked, the step says so and does not fail, since no finding was made.
 *
 *   node bin/run-ts.mjs scripts/audit.ts
 *
 * `auditVerdict` reads npm's JSON output and is pure (test/audit.test.ts).
 */
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';

export type Verdict =
  | { outcome: 'clean'; counts: Record<string, number> }
  | { outcome: 'findings'; counts: Record<string, number>; packages: string[] }
  | { outcome: 'not_checked'; reason: string }
  | { outcome: 'unreadable'; reason: string };

const SEVERE = new Set(['high', 'critical']);
/** Statuses that mean "this registry has no audit service", not "something went wrong for a while". */
const UNSUPPORTED = new Set([404, 405, 501]);

interface AuditJson {
  metadata?: { vulnerabilities?: Record<string, number> };
  vulnerabilities?: Record<string, { severity?: string }>;
  statusCode?: number;
  code?: string;
  message?: string;
  error?: { code?: string; summary?: string };
}

/** What `npm audit --json` printed (stdout) means for CI. */
export function auditVerdict(stdout: string): Verdict {
  let json: AuditJson;
  try {
    json = JSON.parse(stdout) as AuditJson;
  } catch {
    return { outcome: 'unreadable', reason: `sortie de npm audit illisible : ${stdout.slice(0, 200) || '(vide)'}` };
  }
  if (json.metadata?.vulnerabilities) {
    const counts = json.metadata.vulnerabilities;
    const severe = (counts.high ?? 0) + (counts.critical ?? 0);
    if (severe === 0) return { outcome: 'clean', counts };
    const packages = Object.entries(json.vulnerabilities ?? {})
      .filter(([, v]) => SEVERE.has(v.severity ?? '')).map(([name, v]) => `${name} (${v.severity})`).sort();
    return { outcome: 'findings', counts, packages };
  }
  if (typeof json.statusCode === 'number') {
    const what = UNSUPPORTED.has(json.statusCode)
      ? `le registre ne propose pas l’audit (HTTP ${json.statusCode})`
      : `le registre a répondu HTTP ${json.statusCode} à l’audit`;
    return { outcome: 'not_checked', reason: `${what} : ${json.message ?? ''}`.trim() };
  }
  const code = json.code ?? json.error?.code;
  if (typeof code === 'string' && /^(E[A-Z]+|ENOAUDIT)$/.test(code)) {
    return { outcome: 'not_checked', reason: `registre injoignable pour l’audit (${code}) : ${json.message ?? json.error?.summary ?? ''}`.trim() };
  }
  return { outcome: 'unreadable', reason: `réponse de npm audit non comprise : ${stdout.slice(0, 200)}` };
}

/** The line printed and the exit code of the CI step. */
export function report(verdict: Verdict): { line: string; exitCode: 0 | 1 } {
  const counts = (c: Record<string, number>) => ['critical', 'high', 'moderate', 'low'].map((s) => `${s} ${c[s] ?? 0}`).join(', ');
  switch (verdict.outcome) {
    case 'clean': return { line: `npm audit (dépendances du service) : aucune faille haute ou critique (${counts(verdict.counts)}).`, exitCode: 0 };
    case 'findings': return {
      line: `npm audit (dépendances du service) : ÉCHEC, failles hautes ou critiques (${counts(verdict.counts)}) : ${verdict.packages.join(', ')}.`,
      exitCode: 1,
    };
    case 'not_checked': return {
      line: `npm audit : NON VÉRIFIÉ, ${verdict.reason}. Aucune faille n’a été trouvée ni exclue ; lancer « npm audit --omit=dev » sur un registre qui le permet.`,
      exitCode: 0,
    };
    case 'unreadable': return { line: `npm audit : ÉCHEC, ${verdict.reason}`, exitCode: 1 };
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const run = spawnSync(npm, ['audit', '--omit=dev', '--audit-level=high', '--json'], { encoding: 'utf8', timeout: 120_000 });
  const timedOut = (run.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
  const { line, exitCode } = timedOut
    ? report({ outcome: 'not_checked', reason: 'le registre n’a pas répondu à l’audit en 120 s' })
    : run.error
      ? { line: `npm audit : ÉCHEC, npm n’a pas pu être lancé (${run.error.message})`, exitCode: 1 as const }
      : report(auditVerdict(run.stdout));
  process.stdout.write(`${line}\n`);
  process.exitCode = exitCode;
}
