import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);
import {
  CHECK_HELP,
  CHECK_OPTIONS,
  runCheckCommand,
  toCheckFlags,
  writeDryRun
} from "./chunk-KLK33CFV.js";
import "./chunk-ZSOYOW2A.js";
import "./chunk-EMWE3HHO.js";
import "./chunk-POKWITQM.js";
import "./chunk-NBE2HKWK.js";
import "./chunk-S5K3IP7C.js";
import "./chunk-F5KIXSS4.js";
import "./chunk-SJK7R5BZ.js";
import "./chunk-ZYBZPEKE.js";
import "./chunk-VJFIUDJR.js";
import "./chunk-GOJHGAW3.js";
import "./chunk-YOB2P7JE.js";
export {
  CHECK_HELP,
  CHECK_OPTIONS,
  runCheckCommand,
  toCheckFlags,
  writeDryRun
};
