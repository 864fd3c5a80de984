// Entry of the embedded database's thread (pglite.remote.ts): the TypeScript sources through tsx, as bin/passerelles.mjs runs them.
process.env.DOTENV_CONFIG_QUIET ??= 'true';
const { register } = await import('tsx/esm/api');
register();
await import('./pglite.thread.ts');
