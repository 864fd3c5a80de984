// A ranking thread (src/feedback/serving.thread.ts) that stops at its first request, as a thread that crashed would (test/feedback/serving-pool.int.test.ts).
process.env.DOTENV_CONFIG_QUIET ??= 'true';
const { parentPort } = await import('node:worker_threads');
parentPort.on('message', (message) => { if (message.op === 'rank') process.exit(3); });
const { register } = await import('tsx/esm/api');
register();
await import('../../src/feedback/serving.thread.ts');
