import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);
import {
  GithubReporter,
  MAX_ERROR_ANNOTATIONS,
  MAX_WARNING_ANNOTATIONS
} from "./chunk-LBJ2SO74.js";
import "./chunk-SV7PWP26.js";
import "./chunk-A7HKYDRR.js";
import "./chunk-6GH5QY3E.js";
import "./chunk-EBONCGF3.js";
import "./chunk-AYW6O37H.js";
import "./chunk-YOB2P7JE.js";
export {
  GithubReporter,
  MAX_ERROR_ANNOTATIONS,
  MAX_WARNING_ANNOTATIONS
};
