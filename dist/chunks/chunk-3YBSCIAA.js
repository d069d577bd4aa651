import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);

// src/model/changes.ts
var FAIL_ON = ["new", "any"];

export {
  FAIL_ON
};
