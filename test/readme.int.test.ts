/**
 * The READMEs as a newcomer follows them: every `sh` and `console` block runs in order, in a fresh
 * folder on a free port, beside the service `npm start` runs, and prints what the README shows
 * (scripts/readme-examples.ts; `--write` rewrites the outputs after a deliberate change). Also:
 * seed/README.md's TypeScript snippet runs as written, and the READMEs give the thesaurus's
 * real number of concepts.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allSteps, drifts, matches, parseReadme, REPO, runSteps, stderrMatches } from '../scripts/readme-examples.ts';

describe('the README checker', () => {
  it('reads commands, their outputs and stderr, and compares with … as a wildcard', () => {
    const steps = parseReadme('X.md', ['```sh', 'A=$(echo 1 \\', '  2)', '#   stderr: Clé key_… créée', '# narration', 'echo {"a":1}', '#   {"a":1,', '#    "b":…}', '```'].join('\n'));
    expect(steps.map((s) => [s.command, s.end, s.stdout?.text, s.stderr?.text])).toEqual([
      ['A=$(echo 1 \\\n  2)', 2, undefined, ['Clé key_… créée']],
      ['echo {"a":1}', 5, ['{"a":1,', ' "b":…}'], undefined],
    ]);
    expect(matches(steps[1].stdout!.text, '{"a":1,"b":{"c":2}}\n')).toBe(true);
    expect(matches(steps[1].stdout!.text, '{"a":2,"b":3}')).toBe(false);
    expect(matches(['  1. 6.951  case-r06  …'], '  1. 6.950  case-r06  Cadres')).toBe(false);
    expect(stderrMatches(['Clé key_… créée'], '{"level":30}\nClé key_12ab créée\n')).toBe(true);
    expect(stderrMatches(['Clé key_… créée'], 'Erreur\n')).toBe(false);
  });
});

describe('the READMEs, followed as written', () => {
  it('runs every command block in order and each prints what the README shows', async () => {
    const steps = allSteps();
    expect(steps.length).toBeGreaterThan(10);
    const { outcomes } = await runSteps(steps, { timeoutMs: 400_000 });
    const found = drifts(outcomes).map((d) => `${d.step.file}: ${d.step.command.split('\n')[0]}\n  ${d.what} expected:\n${d.expected}\n  got:\n${d.actual.slice(0, 3000)}`);
    expect(found, 'node bin/run-ts.mjs scripts/readme-examples.ts --write rewrites the outputs').toEqual([]);
  }, 420_000);

  it('runs the snippet of seed/README.md as written, from the root of the checkout', () => {
    const text = readFileSync(join(REPO, 'seed/README.md'), 'utf8');
    const snippet = /```ts\n([\s\S]*?)```/.exec(text)![1];
    const dir = mkdtempSync(join(REPO, 'tmp-seed-snippet-'));
    try {
      // same folder depth as the root: './seed/…' resolves against the checkout through a relative rewrite
      writeFileSync(join(dir, 'demo.ts'), snippet.replaceAll("from './", "from '../"));
      const out = execFileSync(process.execPath, ['--import', 'tsx', join(dir, 'demo.ts')], { cwd: REPO, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' });
      const lines = out.trim().split('\n');
      expect(lines).toHaveLength(4500);
      expect(JSON.parse(lines[0]).id).toBe('seed-s000001');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives the number of concepts models/thesaurus.json holds', () => {
    const concepts = (JSON.parse(readFileSync(join(REPO, 'models/thesaurus.json'), 'utf8')) as { concepts: unknown[] }).concepts.length;
    expect(readFileSync(join(REPO, 'README.md'), 'utf8')).toContain(`(${concepts} concepts,`);
    expect(readFileSync(join(REPO, 'models/THESAURUS.md'), 'utf8')).toContain(`**${concepts} concepts,`);
  });
});
