import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);
import {
  GithubReporter,
  MAX_ERROR_ANNOTATIONS,
  MAX_WARNING_ANNOTATIONS
} from "./chunk-IQPJNT3M.js";
import "./chunk-L2KXD62K.js";
import "./chunk-YGA2PB6J.js";
import "./chunk-3YBSCIAA.js";
import "./chunk-ZFG3A5T2.js";
import "./chunk-YOB2P7JE.js";
export {
  GithubReporter,
  MAX_ERROR_ANNOTATIONS,
  MAX_WARNING_ANNOTATIONS
};
