#!/usr/bin/env node
// Runs one TypeScript script (benchmarks, build scripts) through tsx: `node bin/run-ts.mjs FILE args…`.
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
process.env.DOTENV_CONFIG_QUIET ??= 'true';
const { register } = await import('tsx/esm/api');
register();
const [file, ...rest] = process.argv.slice(2);
process.argv = [process.argv[0], file, ...rest];
await import(pathToFileURL(resolve(file)).href);
