import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);
import {
  CHECK_HELP,
  CHECK_OPTIONS,
  runCheckCommand,
  toCheckFlags,
  writeDryRun
} from "./chunk-IWQMKNY6.js";
import "./chunk-XVBVOVLX.js";
import "./chunk-J2SIFXTN.js";
import "./chunk-EROJXOLH.js";
import "./chunk-46XHDGXL.js";
import "./chunk-KZLOHANH.js";
import "./chunk-F5KIXSS4.js";
import "./chunk-SETLSXSQ.js";
import "./chunk-7Y5C55GP.js";
import "./chunk-2PZ45W5J.js";
import "./chunk-45W2NHSX.js";
import "./chunk-YOB2P7JE.js";
export {
  CHECK_HELP,
  CHECK_OPTIONS,
  runCheckCommand,
  toCheckFlags,
  writeDryRun
};
