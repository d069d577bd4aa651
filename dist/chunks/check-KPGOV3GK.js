import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);
import {
  CHECK_HELP,
  CHECK_OPTIONS,
  runCheckCommand,
  toCheckFlags,
  writeDryRun
} from "./chunk-THZSA7OU.js";
import "./chunk-XNBCKMRW.js";
import "./chunk-ZKNQ2F7W.js";
import "./chunk-UVZRJ5WW.js";
import "./chunk-NU53HN2G.js";
import "./chunk-SCVH3LOU.js";
import "./chunk-LTFPSQTB.js";
import "./chunk-ZQU7KMCR.js";
import "./chunk-2Z6Q3QDC.js";
import "./chunk-3YBSCIAA.js";
import "./chunk-MMNE54NO.js";
import "./chunk-2O7AY56E.js";
import "./chunk-ZFG3A5T2.js";
import "./chunk-YOB2P7JE.js";
export {
  CHECK_HELP,
  CHECK_OPTIONS,
  runCheckCommand,
  toCheckFlags,
  writeDryRun
};
