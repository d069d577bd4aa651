import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);
import {
  CHECK_HELP,
  CHECK_OPTIONS,
  runCheckCommand,
  toCheckFlags,
  writeDryRun
} from "./chunk-KWM7SEOV.js";
import "./chunk-XNBCKMRW.js";
import "./chunk-FOU5T2KI.js";
import "./chunk-HUTG63KV.js";
import "./chunk-3ZFNZRPU.js";
import "./chunk-4DVG5P3N.js";
import "./chunk-PET7NPWF.js";
import "./chunk-ZQU7KMCR.js";
import "./chunk-YGA2PB6J.js";
import "./chunk-3YBSCIAA.js";
import "./chunk-ZFG3A5T2.js";
import "./chunk-YOB2P7JE.js";
export {
  CHECK_HELP,
  CHECK_OPTIONS,
  runCheckCommand,
  toCheckFlags,
  writeDryRun
};
