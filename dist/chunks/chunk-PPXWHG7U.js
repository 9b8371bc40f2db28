import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);

// src/action/untrusted-text.ts
var JOINER = "\u2060";
function neutralise(text) {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, " ").replace(/::/g, `:${JOINER}:`).replace(/##\[/g, `#${JOINER}#[`).trim();
}
function longestBacktickRun(text) {
  return Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
}
function codeCell(text) {
  const line = neutralise(text);
  if (line === "") return "";
  const ticks = "`".repeat(longestBacktickRun(line) + 1);
  return `${ticks} ${line.replace(/\|/g, "\\|")} ${ticks}`;
}
function codeBlock(text, info = "") {
  const lines = text.split(/\r?\n/).map(neutralise);
  const fence = "`".repeat(Math.max(3, longestBacktickRun(text) + 1));
  return [`${fence}${info}`, ...lines, fence].join("\n");
}
function shellWord(text) {
  return /^[A-Za-z0-9._/=:@-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

export {
  neutralise,
  codeCell,
  codeBlock,
  shellWord
};
