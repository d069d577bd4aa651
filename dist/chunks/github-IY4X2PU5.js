import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);
import {
  GithubReporter,
  MAX_ERROR_ANNOTATIONS,
  MAX_WARNING_ANNOTATIONS
} from "./chunk-I3MNHST2.js";
import "./chunk-63NFIBPN.js";
import "./chunk-SV7PWP26.js";
import "./chunk-Y7YJEJQY.js";
import "./chunk-KM67VXNY.js";
import "./chunk-TXVQBFN3.js";
import "./chunk-YOB2P7JE.js";
export {
  GithubReporter,
  MAX_ERROR_ANNOTATIONS,
  MAX_WARNING_ANNOTATIONS
};
