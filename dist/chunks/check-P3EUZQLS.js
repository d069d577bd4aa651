import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);
import {
  CHECK_HELP,
  CHECK_OPTIONS,
  runCheckCommand,
  toCheckFlags,
  writeDryRun
} from "./chunk-74NXWSP3.js";
import "./chunk-PA2ZSJA7.js";
import "./chunk-K2LZVJAH.js";
import "./chunk-NZFWDQPF.js";
import "./chunk-CWFQHKD6.js";
import "./chunk-XZS3RVB4.js";
import "./chunk-USX4FLY3.js";
import "./chunk-COCPDGUL.js";
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
