// Entry of a ranking thread (batch.threads.ts): the TypeScript sources through tsx, as bin/passerelles.mjs runs them.
process.env.DOTENV_CONFIG_QUIET ??= 'true';
const { register } = await import('tsx/esm/api');
register();
await import('./batch.thread.ts');
