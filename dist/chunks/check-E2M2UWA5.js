import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);
import {
  CHECK_HELP,
  CHECK_OPTIONS,
  runCheckCommand,
  toCheckFlags,
  writeDryRun
} from "./chunk-F4WY2BLJ.js";
import "./chunk-PXRMM5YD.js";
import "./chunk-FQ7Q2ZGY.js";
import "./chunk-HT5XPBQQ.js";
import "./chunk-DFVLH4FQ.js";
import "./chunk-ZPELJSTK.js";
import "./chunk-QKR3QEGX.js";
import "./chunk-T77I7WHR.js";
import "./chunk-AABWKD2Z.js";
import "./chunk-6F6SVYAF.js";
import "./chunk-X3YEUXHO.js";
import "./chunk-YOB2P7JE.js";
export {
  CHECK_HELP,
  CHECK_OPTIONS,
  runCheckCommand,
  toCheckFlags,
  writeDryRun
};
