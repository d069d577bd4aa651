import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);
import {
  GithubReporter,
  MAX_ERROR_ANNOTATIONS,
  MAX_WARNING_ANNOTATIONS
} from "./chunk-ZJKIMPX7.js";
import "./chunk-SV7PWP26.js";
import "./chunk-FWGFUOKA.js";
import "./chunk-7Y5C55GP.js";
import "./chunk-2PZ45W5J.js";
import "./chunk-45W2NHSX.js";
import "./chunk-YOB2P7JE.js";
export {
  GithubReporter,
  MAX_ERROR_ANNOTATIONS,
  MAX_WARNING_ANNOTATIONS
};
