/** The commands of `passerelles`, in the order `--help` lists them. */
import type { Command } from '../command.ts';
import { importCommand } from './import.ts';
import { keysCommand } from './keys.ts';
import { matchCommand } from './match.ts';
import { rankCommand } from './rank.ts';
import { seedCommand } from './seed.ts';
import { serveCommand } from './serve.ts';
import { batchCommand } from './batch.ts';
import { workerCommand } from './worker.ts';

export const commands: Command[] = [serveCommand, importCommand, seedCommand, matchCommand, rankCommand, keysCommand, batchCommand, workerCommand];
