import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);
import {
  CHECK_HELP,
  CHECK_OPTIONS,
  runCheckCommand,
  toCheckFlags,
  writeDryRun
} from "./chunk-BZGVEYCA.js";
import "./chunk-XNBCKMRW.js";
import "./chunk-RIFYMQI6.js";
import "./chunk-HUTG63KV.js";
import "./chunk-QPKKKDMF.js";
import "./chunk-4DVG5P3N.js";
import "./chunk-M6ALIPKG.js";
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
