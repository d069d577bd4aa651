import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);
import {
  CHECK_HELP,
  CHECK_OPTIONS,
  runCheckCommand,
  toCheckFlags,
  writeDryRun
} from "./chunk-L5TZBSMP.js";
import "./chunk-ORXAJXZO.js";
import "./chunk-UU4AXCRY.js";
import "./chunk-E5SXOJE7.js";
import "./chunk-QJQSRCBK.js";
import "./chunk-ABAZUK2I.js";
import "./chunk-F5KIXSS4.js";
import "./chunk-TGQA7XP4.js";
import "./chunk-6GH5QY3E.js";
import "./chunk-EBONCGF3.js";
import "./chunk-AYW6O37H.js";
import "./chunk-YOB2P7JE.js";
export {
  CHECK_HELP,
  CHECK_OPTIONS,
  runCheckCommand,
  toCheckFlags,
  writeDryRun
};
