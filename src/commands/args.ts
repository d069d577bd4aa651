/**
 * Command-line parsing on node:util parseArgs, with messages that name the command's --help.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { SigcheckError } from '../model/errors.ts';
import { COMMAND_NAMES, didYouMean, optionsOf, type CommandName } from '../options/table.ts';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface Parsed {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  /** Notes for the user (a deprecated spelling was used), to print on stderr. */
  notes: string[];
}

const KNOWN_COMMANDS = new Set<string>(COMMAND_NAMES);

export function parseCommandArgs(command: string, args: string[], options: OptionSpec, allowPositionals = false): Parsed {
  const helpLine = `Run \`release-sigcheck ${command} --help\` for the options and examples.`;
  let parsed: { values: Parsed['values']; positionals: string[] };
  try {
    const r = parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals, strict: true });
    parsed = { values: r.values as Parsed['values'], positionals: r.positionals };
  } catch (err) {
    const code = (err as { code?: string }).code;
    const message = (err as Error).message.replace(/\. To specify a positional argument starting with a '-'.*$/, '');
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const given = /'(-{1,2}[^']*)'/.exec(message)?.[1] ?? '';
      const name = given.replace(/^-+/, '').replace(/=.*$/, '');
      const guess = didYouMean(name, Object.keys(options));
      throw new SigcheckError('USAGE', `unknown option ${given || 'given'} for ${command}${guess ? `; did you mean --${guess}?` : ''}\n${helpLine}`);
    }
    throw new SigcheckError('USAGE', `${message}\n${helpLine}`);
  }
  const notes: string[] = [];
  if (KNOWN_COMMANDS.has(command)) {
    for (const o of optionsOf(command as CommandName)) {
      for (const alias of o.deprecatedAliases ?? []) {
        const v = parsed.values[alias];
        if (v === undefined) continue;
        const prior = parsed.values[o.name];
        parsed.values[o.name] = Array.isArray(v) || Array.isArray(prior) ? [...((prior as string[] | undefined) ?? []), ...(Array.isArray(v) ? v : [String(v)])] : v;
        delete parsed.values[alias];
        notes.push(`--${alias} V is now spelled --${o.name} V (the old spelling still works; --version alone prints the tool's version)`);
      }
    }
  }
  return { ...parsed, notes };
}

export function str(values: Parsed['values'], name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

export function list(values: Parsed['values'], name: string): string[] | undefined {
  const v = values[name];
  if (Array.isArray(v)) return v;
  return typeof v === 'string' ? [v] : undefined;
}

export function bool(values: Parsed['values'], name: string): boolean {
  return values[name] === true;
}
