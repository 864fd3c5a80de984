import { defineConfig } from 'drizzle-kit';

// Migrations are generated from src/db/schema.ts and committed under src/db/migrations;
// the program applies them itself at start, on PGlite and on PostgreSQL alike.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './src/db/migrations',
});
