import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);
import {
  CHECK_HELP,
  CHECK_OPTIONS,
  runCheckCommand,
  toCheckFlags,
  writeDryRun
} from "./chunk-KTPHAYY6.js";
import "./chunk-LOQ423ES.js";
import "./chunk-SF5BFLGW.js";
import "./chunk-AF3SMXQN.js";
import "./chunk-E4IMMGVQ.js";
import "./chunk-PODT4Z4G.js";
import "./chunk-LTFPSQTB.js";
import "./chunk-NPL5QLEB.js";
import "./chunk-Y7YJEJQY.js";
import "./chunk-KM67VXNY.js";
import "./chunk-TXVQBFN3.js";
import "./chunk-YOB2P7JE.js";
export {
  CHECK_HELP,
  CHECK_OPTIONS,
  runCheckCommand,
  toCheckFlags,
  writeDryRun
};
