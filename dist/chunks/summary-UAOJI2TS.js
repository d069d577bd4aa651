import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);
import {
  COMMENT_BUDGET_BYTES,
  SUMMARY_BUDGET_BYTES,
  SummaryBuilder,
  lineUrl,
  linksFromEnv
} from "./chunk-FWGFUOKA.js";
import "./chunk-2PZ45W5J.js";
import "./chunk-45W2NHSX.js";
import "./chunk-YOB2P7JE.js";
export {
  COMMENT_BUDGET_BYTES,
  SUMMARY_BUDGET_BYTES,
  SummaryBuilder,
  lineUrl,
  linksFromEnv
};
