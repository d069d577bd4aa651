import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);
import {
  CHECK_HELP,
  CHECK_OPTIONS,
  runCheckCommand,
  toCheckFlags,
  writeDryRun
} from "./chunk-42SV2F5H.js";
import "./chunk-XF6HNZDH.js";
import "./chunk-6I6SUACG.js";
import "./chunk-FOIUI5ME.js";
import "./chunk-WAOUHCAA.js";
import "./chunk-LC2ALN54.js";
import "./chunk-5CNYLOY2.js";
import "./chunk-OPGSAKW3.js";
import "./chunk-YOB2P7JE.js";
export {
  CHECK_HELP,
  CHECK_OPTIONS,
  runCheckCommand,
  toCheckFlags,
  writeDryRun
};
