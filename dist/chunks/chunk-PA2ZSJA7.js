import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);
import {
  SigcheckError
} from "./chunk-COCPDGUL.js";

// src/cli/args.ts
import { parseArgs } from "node:util";
function parseCommandArgs(command, args, options, allowPositionals = false) {
  try {
    const { values, positionals } = parseArgs({ args, options: { ...options, help: { type: "boolean", short: "h" } }, allowPositionals, strict: true });
    return { values, positionals };
  } catch (err) {
    const message = err.message.replace(/\. To specify a positional argument starting with a '-'.*$/, "");
    throw new SigcheckError("USAGE", `${message}
Run \`release-sigcheck ${command} --help\` for the options and examples.`);
  }
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
