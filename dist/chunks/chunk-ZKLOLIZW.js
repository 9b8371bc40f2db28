import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  markdownCode,
  neutralise
} from "./chunk-QZHQZAVZ.js";

// src/action/untrusted-text.ts
function codeCell(text) {
  return neutralise(text) === "" ? "" : markdownCode(text);
}
function codeBlock(text, info = "") {
  const lines = text.split(/\r?\n/).map(neutralise);
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(Math.max(3, longestRun + 1));
  return [`${fence}${info}`, ...lines, fence].join("\n");
}
function shellWord(text) {
  return /^[A-Za-z0-9._/=:@-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

export {
  codeCell,
  codeBlock,
  shellWord
};
