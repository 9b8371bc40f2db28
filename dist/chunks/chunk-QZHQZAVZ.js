import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);

// src/oci/untrusted-text.ts
var CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
var NAMED_ESCAPES = { "\n": "\\n", "\r": "\\r", "	": "\\t" };
var LEADING_BLANKS = /^[\s\u001c-\u001f\u0085]*/;
var COMMAND_START = /^(?:::|##\[)/;
function escapeControl(char) {
  const named = NAMED_ESCAPES[char];
  if (named) return named;
  const code = char.charCodeAt(0);
  return code <= 255 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}
function defuseCommands(line) {
  const out = line.replace(/##\[/g, "##\\x5b");
  const blanks = LEADING_BLANKS.exec(out)?.[0] ?? "";
  const rest = out.slice(blanks.length);
  return COMMAND_START.test(rest) ? `${blanks}\\x${rest.charCodeAt(0).toString(16)}${rest.slice(1)}` : out;
}
function neutralise(text) {
  return defuseCommands(text.replace(CONTROL, escapeControl));
}
function commandSafe(message) {
  return message.split(/\r\n|\r|\n/).map((line) => defuseCommands(line.replace(CONTROL, escapeControl))).join("\n");
}
var HTML_ESCAPES = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;"
};
function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}
var MARKDOWN_INLINE = /[\\`*_[\]()!~]/g;
var AUTOLINK_START = /:(?=\/\/)|@|(?<=www)\.|(?<=mailto|xmpp):/gi;
function characterReference(c) {
  return `&#${c.charCodeAt(0)};`;
}
function markdownText(text) {
  return escapeHtml(neutralise(text)).replace(MARKDOWN_INLINE, characterReference).replace(AUTOLINK_START, characterReference).replace(/\|/g, "\\|");
}
function markdownCode(text) {
  const flat = neutralise(text).replace(/\|/g, "\\|");
  const longestRun = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longestRun + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") || flat === "" ? " " : "";
  return `${fence}${pad}${flat}${pad}${fence}`;
}

export {
  neutralise,
  commandSafe,
  markdownText,
  markdownCode
};
