import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);
import {
  CHECK_HELP,
  CHECK_OPTIONS,
  runCheckCommand,
  toCheckFlags,
  writeDryRun
} from "./chunk-7PQAIX4Q.js";
import "./chunk-A7ZNLDI7.js";
import "./chunk-XGSX62HZ.js";
import "./chunk-7Q3P3A2K.js";
import "./chunk-2Z4BBMFC.js";
import "./chunk-FCPXWA33.js";
import "./chunk-LTFPSQTB.js";
import "./chunk-CJDR7VYC.js";
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
