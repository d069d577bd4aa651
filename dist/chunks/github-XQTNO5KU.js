import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);
import {
  GithubReporter,
  MAX_ERROR_ANNOTATIONS,
  MAX_WARNING_ANNOTATIONS
} from "./chunk-OTWG5DQA.js";
import "./chunk-SV7PWP26.js";
import "./chunk-X27JOBY2.js";
import "./chunk-ZYBZPEKE.js";
import "./chunk-VJFIUDJR.js";
import "./chunk-GOJHGAW3.js";
import "./chunk-YOB2P7JE.js";
export {
  GithubReporter,
  MAX_ERROR_ANNOTATIONS,
  MAX_WARNING_ANNOTATIONS
};
