import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);
import {
  COMMAND_NAMES,
  didYouMean,
  optionsOf
} from "./chunk-SJK7R5BZ.js";
import {
  SigcheckError
} from "./chunk-GOJHGAW3.js";

// src/commands/args.ts
import { parseArgs } from "node:util";
var KNOWN_COMMANDS = new Set(COMMAND_NAMES);
function parseCommandArgs(command, args, options, allowPositionals = false) {
  const helpLine = `Run \`release-sigcheck ${command} --help\` for the options and examples.`;
  let parsed;
  try {
    const r = parseArgs({ args, options: { ...options, help: { type: "boolean", short: "h" } }, allowPositionals, strict: true });
    parsed = { values: r.values, positionals: r.positionals };
  } catch (err) {
    const code = err.code;
    const message = err.message.replace(/\. To specify a positional argument starting with a '-'.*$/, "");
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
      const given = /'(-{1,2}[^']*)'/.exec(message)?.[1] ?? "";
      const name = given.replace(/^-+/, "").replace(/=.*$/, "");
      const guess = didYouMean(name, Object.keys(options));
      throw new SigcheckError("USAGE", `unknown option ${given || "given"} for ${command}${guess ? `; did you mean --${guess}?` : ""}
${helpLine}`);
    }
    throw new SigcheckError("USAGE", `${message}
${helpLine}`);
  }
  const notes = [];
  if (KNOWN_COMMANDS.has(command)) {
    for (const o of optionsOf(command)) {
      for (const alias of o.deprecatedAliases ?? []) {
        const v = parsed.values[alias];
        if (v === void 0) continue;
        const prior = parsed.values[o.name];
        parsed.values[o.name] = Array.isArray(v) || Array.isArray(prior) ? [...prior ?? [], ...Array.isArray(v) ? v : [String(v)]] : v;
        delete parsed.values[alias];
        notes.push(`--${alias} V is now spelled --${o.name} V (the old spelling still works; --version alone prints the tool's version)`);
      }
    }
  }
  return { ...parsed, notes };
}
function str(values, name) {
  const v = values[name];
  return typeof v === "string" ? v : void 0;
}
function list(values, name) {
  const v = values[name];
  if (Array.isArray(v)) return v;
  return typeof v === "string" ? [v] : void 0;
}
function bool(values, name) {
  return values[name] === true;
}

export {
  parseCommandArgs,
  str,
  list,
  bool
};
