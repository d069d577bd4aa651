/**
 * Report formats and where they go: one format on stdout (`--format`), any number of files
 * (`--output [FORMAT:]FILE`, the format taken from the extension when not given).
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Writable } from 'node:stream';
import { SigcheckError } from '../model/errors.ts';
import { didYouMean } from '../options/table.ts';
import { HtmlReporter } from './html.ts';
import { JsonReporter } from './json.ts';
import { JunitReporter } from './junit.ts';
import { SarifReporter } from './sarif.ts';
import type { Reporter } from '../model/reporter.ts';
import { TextReporter } from './text.ts';

export const FORMATS = ['text', 'json', 'github', 'junit', 'sarif', 'html'] as const;
export type Format = (typeof FORMATS)[number];

export function parseFormat(value: string | undefined, flag = '--format'): Format {
  const v = (value ?? 'text').trim();
  if (!(FORMATS as readonly string[]).includes(v)) {
    const guess = didYouMean(v.toLowerCase(), FORMATS);
    throw new SigcheckError('USAGE', `${flag} must be one of ${FORMATS.join(', ')} (got ${JSON.stringify(v.slice(0, 40))})${guess ? `; did you mean ${guess}?` : ''}`);
  }
  return v as Format;
}

export interface OutputSpec {
  format: Format;
  path: string;
}

const BY_EXTENSION: [string, Format][] = [
  ['.sarif.json', 'sarif'],
  ['.sarif', 'sarif'],
  ['.xml', 'junit'],
  ['.json', 'json'],
  ['.html', 'html'],
  ['.htm', 'html'],
  ['.txt', 'text'],
  ['.log', 'text'],
];

export function parseOutputSpec(spec: string): OutputSpec {
  const m = /^([a-zA-Z][a-zA-Z0-9-]*):(.+)$/.exec(spec);
  if (m && (FORMATS as readonly string[]).includes(m[1]!)) return { format: m[1] as Format, path: m[2]! };
  // `foo:r.txt` is a format that does not exist, not a file named so (write text:foo:r.txt for that).
  if (m) {
    const guess = didYouMean(m[1]!.toLowerCase(), FORMATS);
    throw new SigcheckError('USAGE', `--output ${spec}: ${JSON.stringify(m[1])} is not a report format${guess ? `; did you mean ${guess}?` : ''} (formats: ${FORMATS.join(', ')}; write FORMAT:FILE, e.g. json:report.json)`);
  }
  const byExt = BY_EXTENSION.find(([ext]) => spec.toLowerCase().endsWith(ext));
  if (!byExt) {
    throw new SigcheckError('USAGE', `--output ${spec}: cannot tell the format from the file name; write it as FORMAT:FILE with FORMAT one of ${FORMATS.join(', ')} (e.g. json:report.json)`);
  }
  return { format: byExt[1], path: spec };
}

/** The GitHub reporter is loaded only when asked for: it brings @actions/core, which the CLI rarely needs. */
export async function createReporter(format: Format, out: Writable & { isTTY?: boolean }, options: { quiet?: boolean; closeAtEnd?: boolean } = {}): Promise<Reporter> {
  switch (format) {
    case 'text':
      return new TextReporter(out, { quiet: options.quiet ?? false });
    case 'json':
      return new JsonReporter(out, { close: options.closeAtEnd ?? false });
    case 'github': {
      // Run in a workflow step, the CLI links the summary's lines at the commit being built.
      const [{ GithubReporter }, { linksFromEnv }] = await Promise.all([import('./github.ts'), import('./summary.ts')]);
      const links = linksFromEnv(process.env);
      return new GithubReporter(links ? { links } : {});
    }
    case 'junit':
      return new JunitReporter(out, { close: options.closeAtEnd ?? false });
    case 'sarif':
      return new SarifReporter(out, { close: options.closeAtEnd ?? false });
    case 'html':
      return new HtmlReporter(out, { close: options.closeAtEnd ?? false });
  }
}

/** Opens a report file (creating its directory) and returns a reporter that closes it at the end. */
export async function openFileReporter(spec: OutputSpec): Promise<Reporter> {
  await mkdir(dirname(spec.path), { recursive: true });
  const stream = createWriteStream(spec.path);
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (err) => reject(new SigcheckError('CONFIG', `cannot write ${spec.path}: ${err.message}`, { cause: err })));
  });
  if (spec.format === 'text') {
    const text = new TextReporter(stream, { tty: false, color: false });
    return {
      begin: (info) => text.begin(info),
      node: (r) => text.node(r),
      unpublished: (u) => text.unpublished(u),
      finding: (f) => text.finding(f),
      end: async (summary) => {
        text.end(summary);
        await new Promise<void>((resolve) => stream.end(resolve));
      },
    };
  }
  return createReporter(spec.format, stream, { closeAtEnd: true });
}
