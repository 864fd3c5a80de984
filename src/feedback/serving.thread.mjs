// Entry of a ranking thread of the service (serving.pool.ts): the TypeScript sources through tsx, as bin/passerelles.mjs runs them.
process.env.DOTENV_CONFIG_QUIET ??= 'true';
const { register } = await import('tsx/esm/api');
register();
await import('./serving.thread.ts');
