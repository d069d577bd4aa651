import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);
import {
  CHECK_HELP,
  CHECK_OPTIONS,
  runCheckCommand,
  toCheckFlags,
  writeDryRun
} from "./chunk-NPIXI2VK.js";
import "./chunk-H3V264N2.js";
import "./chunk-3I3SPF4Z.js";
import "./chunk-23OLOS7L.js";
import "./chunk-E2GSLZWE.js";
import "./chunk-6F6SVYAF.js";
import "./chunk-Y7RDZNTE.js";
import "./chunk-PS4FLMW7.js";
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
