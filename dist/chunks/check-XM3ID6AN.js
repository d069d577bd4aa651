import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);
import {
  CHECK_HELP,
  CHECK_OPTIONS,
  runCheckCommand,
  toCheckFlags,
  writeDryRun
} from "./chunk-26YEJDK5.js";
import "./chunk-XVBVOVLX.js";
import "./chunk-5FFS3LIS.js";
import "./chunk-EROJXOLH.js";
import "./chunk-WVWLCXYP.js";
import "./chunk-KZLOHANH.js";
import "./chunk-F5KIXSS4.js";
import "./chunk-SETLSXSQ.js";
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
