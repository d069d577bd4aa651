#!/usr/bin/env node
// Generates action.yml from the option table (src/options/table.ts): the Action's inputs are the check
// command's options and the Action's own, with the same names, help and documented defaults as the
// CLI. `--check` fails when the committed action.yml differs (CI runs it, as it checks dist/).
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { actionInputs } from '../src/options/table.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');

/** A YAML double-quoted scalar. */
const quote = (s) => JSON.stringify(s);

const OUTPUTS = [
  ['status', 'passed, failed or error'],
  ['exit-code', '0 passed, 1 failed, 2 usage, 3 errors'],
  ['checked', 'number of (version, arch) nodes checked'],
  ['passed', 'nodes that passed'],
  ['failed', 'nodes with a missing or invalid signature'],
  ['errors', 'nodes that could not be checked'],
  ['unpublished', '(version, arch) pairs whose tag does not exist'],
  ['findings', 'graph-data findings'],
  ['report-path', 'path of the JSON report'],
];

export function renderActionYml() {
  const lines = [
    '# Generated from src/options/table.ts by `npm run gen-action`; edit the table, not this file.',
    'name: release-sigcheck',
    'description: >-',
    '  Checks that every OpenShift release a cincinnati-graph-data change promotes has the OpenPGP and the',
    '  Sigstore signature clusters require, and annotates the channel-file line of each one that does not.',
    'author: release-sigcheck developers',
    'branding:',
    '  icon: shield',
    '  color: red',
    'inputs:',
  ];
  for (const o of actionInputs()) {
    // A documented default is stated, not set: GitHub turns an input default into INPUT_* and it would
    // then override release-sigcheck.yaml. Only inputs no config file sets carry a real default.
    const help = o.actionHelp ?? o.help;
    const text = o.default && o.actionDefault === undefined ? `${help} (default: ${o.default}${o.config ? ", or the config file's value" : ''})` : help;
    lines.push(`  ${o.name}:`, `    description: ${quote(text)}`);
    if (o.actionDefault !== undefined) lines.push(`    default: ${o.actionDefault.startsWith('${{') ? o.actionDefault : quote(o.actionDefault)}`);
  }
  lines.push('outputs:');
  for (const [name, description] of OUTPUTS) lines.push(`  ${name}:`, `    description: ${quote(description)}`);
  lines.push('runs:', '  using: node24', '  main: dist/index.js', '');
  return lines.join('\n');
}

const path = join(root, 'action.yml');
const want = renderActionYml();
if (check) {
  const have = await readFile(path, 'utf8').catch(() => '');
  if (have !== want) {
    console.error('action.yml is not what src/options/table.ts generates. Run `npm run gen-action` and commit action.yml.');
    process.exitCode = 1;
  } else console.log('action.yml is current.');
} else {
  await writeFile(path, want);
  console.log('action.yml written from the option table.');
}
