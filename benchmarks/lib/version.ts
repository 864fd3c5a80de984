/**
 * The version a benchmark measured, as its results name it: HEAD's short hash, and « (modified) »
 * when a tracked file differs from it. The results a previous run rewrote (benchmarks/results/)
 * are not a change of what is measured: a run right after another no longer says « modified ».
 */
import { execFileSync } from 'node:child_process';

export function measuredVersion(root: string): string {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
  const changed = git('status', '--porcelain', '--untracked-files=no', '--', '.', ':(exclude)benchmarks/results');
  return `${git('rev-parse', '--short', 'HEAD')}${changed ? ' (modified)' : ''}`;
}
