// Evaluated before the whole `natural` package is (benchmarks/speed.ts compares its search): keeps
// dotenv from writing to stdout. Passerelles itself loads only natural's stemmer file (src/text/natural.ts), without dotenv.
process.env.DOTENV_CONFIG_QUIET ??= 'true';
