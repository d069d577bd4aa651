/**
 * Command-line parsing on node:util parseArgs, with messages that name the command's --help.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { SigcheckError } from '../model/errors.ts';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface Parsed {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

export function parseCommandArgs(command: string, args: string[], options: OptionSpec, allowPositionals = false): Parsed {
  try {
    const { values, positionals } = parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals, strict: true });
    return { values: values as Parsed['values'], positionals };
  } catch (err) {
    const message = (err as Error).message.replace(/\. To specify a positional argument starting with a '-'.*$/, '');
    throw new SigcheckError('USAGE', `${message}\nRun \`release-sigcheck ${command} --help\` for the options and examples.`);
  }
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
