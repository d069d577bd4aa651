import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);
import {
  COMMENT_BUDGET_BYTES,
  SUMMARY_BUDGET_BYTES,
  SummaryBuilder,
  lineUrl,
  linksFromEnv
} from "./chunk-A7HKYDRR.js";
import "./chunk-EBONCGF3.js";
import "./chunk-AYW6O37H.js";
import "./chunk-YOB2P7JE.js";
export {
  COMMENT_BUDGET_BYTES,
  SUMMARY_BUDGET_BYTES,
  SummaryBuilder,
  lineUrl,
  linksFromEnv
};
