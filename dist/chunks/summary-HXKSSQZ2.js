import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);
import {
  COMMENT_BUDGET_BYTES,
  SUMMARY_BUDGET_BYTES,
  SummaryBuilder,
  lineUrl,
  linksFromEnv
} from "./chunk-SLGCHZGK.js";
import "./chunk-MMNE54NO.js";
import "./chunk-2O7AY56E.js";
import "./chunk-ZFG3A5T2.js";
import "./chunk-YOB2P7JE.js";
export {
  COMMENT_BUDGET_BYTES,
  SUMMARY_BUDGET_BYTES,
  SummaryBuilder,
  lineUrl,
  linksFromEnv
};
