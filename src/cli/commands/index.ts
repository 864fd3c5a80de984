/** The commands of `passerelles`, in the order `--help` lists them. */
import type { Command } from '../command.ts';
import { auditCommand } from './audit.ts';
import { feedbackCommand } from './feedback.ts';
import { importCommand } from './import.ts';
import { keysCommand } from './keys.ts';
import { matchCommand } from './match.ts';
import { modelsCommand } from './models.ts';
import { rankCommand } from './rank.ts';
import { rankingsCommand } from './rankings.ts';
import { seedCommand } from './seed.ts';
import { serveCommand } from './serve.ts';
import { trainCommand } from './train.ts';
import { batchCommand } from './batch.ts';
import { workerCommand } from './worker.ts';

export const commands: Command[] = [
  serveCommand, importCommand, seedCommand, matchCommand, rankCommand, feedbackCommand, rankingsCommand, trainCommand, modelsCommand,
  batchCommand, workerCommand, keysCommand, auditCommand,
];
