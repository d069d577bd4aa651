#!/usr/bin/env node
// Generates action.yml from the option table (src/options/table.ts): the Action's inputs are the check
// command's options and the Action's own, with the same names, help and documented defaults as the
// CLI. `--check` fails when the committed action.yml differs (CI runs it, as it checks dist/).
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { actionInputs, optionsOf } from '../src/options/table.ts';

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

/** The README's table of the check command's options, between its markers. */
export function renderReadmeOptions(readme) {
  const start = '<!-- options:check (generated from src/options/table.ts by `npm run gen-action`) -->';
  const end = '<!-- /options:check -->';
  const a = readme.indexOf(start);
  const b = readme.indexOf(end);
  if (a === -1 || b === -1) throw new Error('README.md has no options:check markers');
  const cell = (t) => t.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const rows = optionsOf('check').map((o) => {
    const flag = `\`--${o.name}${o.value ? ` ${o.value}` : ''}\`${o.short ? `, \`-${o.short}\`` : ''}`;
    const text = `${o.commandHelp}${o.default ? ` (default: \`${o.default}\`)` : ''}${o.config ? '; may be set in `release-sigcheck.yaml`' : ''}`;
    return `| ${cell(flag)} | ${cell(text)} |`;
  });
  const table = ['| option | meaning |', '| --- | --- |', ...rows].join('\n');
  return `${readme.slice(0, a + start.length)}\n${table}\n${readme.slice(b)}`;
}

const files = [
  [join(root, 'action.yml'), () => renderActionYml()],
  [join(root, 'README.md'), (have) => renderReadmeOptions(have)],
];
let stale = 0;
for (const [path, render] of files) {
  const have = await readFile(path, 'utf8').catch(() => '');
  const want = render(have);
  if (have === want) continue;
  if (check) {
    console.error(`${path.slice(root.length + 1)} is not what src/options/table.ts generates. Run \`npm run gen-action\` and commit it.`);
    stale++;
  } else await writeFile(path, want);
}
if (check) {
  if (stale > 0) process.exitCode = 1;
  else console.log('action.yml and the README options table are current.');
} else console.log('action.yml and the README options table written from the option table.');
