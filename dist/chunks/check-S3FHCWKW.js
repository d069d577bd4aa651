import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);
import {
  CHECK_HELP,
  CHECK_OPTIONS,
  runCheckCommand,
  toCheckFlags,
  writeDryRun
} from "./chunk-BXKHHREQ.js";
import "./chunk-JYOE55IC.js";
import "./chunk-3REQLKMJ.js";
import "./chunk-EMRVFBJE.js";
import "./chunk-NBJ77TTY.js";
import "./chunk-JKW2VOBK.js";
import "./chunk-USX4FLY3.js";
import "./chunk-HRANA4LN.js";
import "./chunk-ZGNFVBUH.js";
import "./chunk-TY63Q5XU.js";
import "./chunk-YOB2P7JE.js";
export {
  CHECK_HELP,
  CHECK_OPTIONS,
  runCheckCommand,
  toCheckFlags,
  writeDryRun
};
