import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);
import {
  CHECK_HELP,
  CHECK_OPTIONS,
  runCheckCommand,
  toCheckFlags,
  writeDryRun
} from "./chunk-IPO7OJ7L.js";
import "./chunk-344X4UNY.js";
import "./chunk-X74JPY34.js";
import "./chunk-ZGNFVBUH.js";
import "./chunk-MHLWD6C6.js";
import "./chunk-QDTT5UQJ.js";
import "./chunk-H3V264N2.js";
import "./chunk-PWC3SGM5.js";
import "./chunk-6F6SVYAF.js";
import "./chunk-Y7RDZNTE.js";
import "./chunk-PS4FLMW7.js";
import "./chunk-P2HCLQWR.js";
import "./chunk-YOB2P7JE.js";
export {
  CHECK_HELP,
  CHECK_OPTIONS,
  runCheckCommand,
  toCheckFlags,
  writeDryRun
};
