#!/usr/bin/env node
// Prepares the default e2e database for local runs: drops and recreates unionhub_e2e, migrates
// it and loads the demo data at scale 0.05 (the Makefile passes its own E2E_DATABASE_URL instead).
import { execFileSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const backend = resolve(dirname(fileURLToPath(import.meta.url)), '../../backend');
const name = process.env.E2E_DB_NAME || 'unionhub_e2e';
const url = `postgresql+asyncpg://postgres@127.0.0.1:5432/${name}`;
const sh = (cmd, args, env = {}) =>
  execFileSync(cmd, args, { cwd: backend, stdio: 'inherit', env: { ...process.env, ...env } });

sh('dropdb', ['-h', '127.0.0.1', '-U', 'postgres', '--if-exists', name]);
sh('createdb', ['-h', '127.0.0.1', '-U', 'postgres', name]);
sh(join(backend, '.venv/bin/alembic'), ['upgrade', 'head'], { DATABASE_URL: url });
sh(join(backend, '.venv/bin/unionhub-dev'), ['demo-data', '--scale', '0.05'], { DATABASE_URL: url });
console.log(`E2E_DATABASE_URL=${url}`);
