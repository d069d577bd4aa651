import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);
import {
  COMMENT_BUDGET_BYTES,
  SUMMARY_BUDGET_BYTES,
  SummaryBuilder,
  lineUrl,
  linksFromEnv
} from "./chunk-X27JOBY2.js";
import "./chunk-VJFIUDJR.js";
import "./chunk-GOJHGAW3.js";
import "./chunk-YOB2P7JE.js";
export {
  COMMENT_BUDGET_BYTES,
  SUMMARY_BUDGET_BYTES,
  SummaryBuilder,
  lineUrl,
  linksFromEnv
};
