import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);
import {
  CHECK_HELP,
  CHECK_OPTIONS,
  runCheckCommand,
  toCheckFlags,
  writeDryRun
} from "./chunk-RQJUOE6F.js";
import "./chunk-TRDIFP3G.js";
import "./chunk-GKHE2ZIG.js";
import "./chunk-7OBQH7GJ.js";
import "./chunk-OMG5Y7JB.js";
import "./chunk-FZ5KPPID.js";
import "./chunk-6F6SVYAF.js";
import "./chunk-AK3WTL7Y.js";
import "./chunk-WUMOZROW.js";
export {
  CHECK_HELP,
  CHECK_OPTIONS,
  runCheckCommand,
  toCheckFlags,
  writeDryRun
};
