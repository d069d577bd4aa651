/** The tool's name and version, as package.json states them (one source, bundled with the code). */
import pkg from '../../package.json' with { type: 'json' };

export const TOOL: { readonly name: string; readonly version: string } = { name: pkg.name, version: pkg.version };
