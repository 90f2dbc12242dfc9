import { defineConfig } from "drizzle-kit";

// `npm run db:generate` writes a migration from the tables in schema/;
// `npm run db:migrate` applies them to the database at DATABASE_URL (Neon included).
export default defineConfig({
  dialect: "postgresql",
  schema: "./schema/index.ts",
  out: "./schema/migrations",
  dbCredentials: { url: process.env.DATABASE_URL ?? "postgres://localhost/disburse" },
});
