import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);
import {
  GithubReporter,
  MAX_ERROR_ANNOTATIONS,
  MAX_WARNING_ANNOTATIONS
} from "./chunk-Q2A3VWMV.js";
import "./chunk-SJSFPHVL.js";
import "./chunk-SV7PWP26.js";
import "./chunk-LC2ALN54.js";
import "./chunk-5CNYLOY2.js";
import "./chunk-OPGSAKW3.js";
import "./chunk-YOB2P7JE.js";
export {
  GithubReporter,
  MAX_ERROR_ANNOTATIONS,
  MAX_WARNING_ANNOTATIONS
};
