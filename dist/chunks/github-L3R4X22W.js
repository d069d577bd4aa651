import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);
import {
  GithubReporter,
  MAX_ERROR_ANNOTATIONS,
  MAX_WARNING_ANNOTATIONS
} from "./chunk-VAGW2OUO.js";
import "./chunk-SLGCHZGK.js";
import "./chunk-SV7PWP26.js";
import "./chunk-2Z6Q3QDC.js";
import "./chunk-3YBSCIAA.js";
import "./chunk-MMNE54NO.js";
import "./chunk-2O7AY56E.js";
import "./chunk-ZFG3A5T2.js";
import "./chunk-YOB2P7JE.js";
export {
  GithubReporter,
  MAX_ERROR_ANNOTATIONS,
  MAX_WARNING_ANNOTATIONS
};
