import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);
import {
  CHECK_HELP,
  CHECK_OPTIONS,
  runCheckCommand,
  toCheckFlags,
  writeDryRun
} from "./chunk-KEYHFCGB.js";
import "./chunk-7N3LKILZ.js";
import "./chunk-FURGXIKQ.js";
import "./chunk-LMHKACSQ.js";
import "./chunk-MZ47OFRU.js";
import "./chunk-MNGB6GOE.js";
import "./chunk-Y4547DIX.js";
import "./chunk-REOWRNOL.js";
import "./chunk-ZGNFVBUH.js";
import "./chunk-P2HCLQWR.js";
import "./chunk-YOB2P7JE.js";
export {
  CHECK_HELP,
  CHECK_OPTIONS,
  runCheckCommand,
  toCheckFlags,
  writeDryRun
};
