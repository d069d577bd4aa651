#!/usr/bin/env node
// Prints the plain closing line CI reads ("N passed, N failed, N skipped") from vitest's JSON results.
import { readFile } from 'node:fs/promises';

const file = process.argv[2] ?? '.tmp/vitest-results.json';
const r = JSON.parse(await readFile(file, 'utf8'));
const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
process.exitCode = r.numFailedTests > 0 || r.success === false ? 1 : 0;
