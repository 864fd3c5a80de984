/** Runs `passerelles` in-process through `main`, capturing stdout and stderr. */
import { Writable } from 'node:stream';
import { main } from '../../src/cli/main.ts';

export class Capture extends Writable {
  text = '';
  constructor(readonly isTTY = false) { super(); }
  override _write(chunk: Buffer, _encoding: string, done: () => void) {
    this.text += chunk.toString();
    done();
  }
}

export async function cli(argv: string[], tty = false) {
  const stdout = new Capture();
  const stderr = new Capture(tty);
  const code = await main(argv, { stdout, stderr });
  return { code, stdout: stdout.text, stderr: stderr.text };
}
