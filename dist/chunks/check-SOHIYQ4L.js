import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);
import {
  CHECK_HELP,
  CHECK_OPTIONS,
  runCheckCommand,
  toCheckFlags,
  writeDryRun
} from "./chunk-AUFAWUVA.js";
import "./chunk-FLWIJHTD.js";
import "./chunk-JARDB4ZQ.js";
import "./chunk-EROJXOLH.js";
import "./chunk-37AB5OJC.js";
import "./chunk-KZLOHANH.js";
import "./chunk-F5KIXSS4.js";
import "./chunk-SJK7R5BZ.js";
import "./chunk-X2DCA5RC.js";
import "./chunk-3GGAJD4M.js";
import "./chunk-45W2NHSX.js";
import "./chunk-YOB2P7JE.js";
export {
  CHECK_HELP,
  CHECK_OPTIONS,
  runCheckCommand,
  toCheckFlags,
  writeDryRun
};
