/** Writes packages/schema/schema.graphql from the API code. Run with `pnpm schema:emit`. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { printLedgerSchema } from '../schema.js';

const target = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../schema/schema.graphql');
fs.writeFileSync(target, await printLedgerSchema());
console.log(`wrote ${path.relative(process.cwd(), target)}`);
