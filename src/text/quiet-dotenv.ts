// Evaluated before `natural` (see natural.ts): keeps dotenv from writing to stdout.
process.env.DOTENV_CONFIG_QUIET ??= 'true';
