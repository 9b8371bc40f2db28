import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  FOUND_WORD,
  PLATFORM_CHANGE_WORD,
  SOURCE_PROBLEM_WORD,
  STATUS_WORD,
  changeText,
  comparedWithText,
  discoveryFacts,
  failedFirst,
  headline,
  heldBackNote,
  imageLabel,
  indexText,
  nextStep,
  platformChange,
  platformNotes,
  platformsInBrief,
  pullLimitFact,
  shortName,
  sourceLabel,
  statusInBrief,
  statusSentence,
  tagChangeText,
  tagsInBrief
} from "./chunk-2CHJVI7H.js";
import {
  shortDigest
} from "./chunk-WGTGFSMG.js";
import {
  markdownText
} from "./chunk-QZHQZAVZ.js";
import "./chunk-PY5VAGIZ.js";

// src/action/summary.ts
var STATUS_ICON = {
  created: "\u2705",
  updated: "\u{1F504}",
  unchanged: "\u2611\uFE0F",
  verified: "\u{1F50D}",
  planned: "\u{1F4DD}",
  failed: "\u274C"
};
function escapeText(text) {
  return markdownText(text).replace(/^[#>+=-]/, (c) => `&#${c.charCodeAt(0)};`);
}
function code(text) {
  return `<code>${escapeText(text)}</code>`;
}
function fenced(text, info = "text") {
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(Math.max(3, longestRun + 1));
  return [`${fence}${info}`, text, fence];
}
var CHANGE_ICON = { added: "\u2795", removed: "\u2796", changed: "\u270F\uFE0F" };
function tagCell(image) {
  const tags = tagsInBrief(image, code, (word) => ` \u26A0\uFE0F ${word}`);
  return image.tagResults ? tags.join("<br>") : tags.join(", ");
}
function statusCell(image) {
  return `${STATUS_ICON[image.status]} ${escapeText(statusInBrief(image))}`;
}
function overview(images) {
  const lines = ["| Image | Status | Index | Platforms | Tags |", "| --- | --- | --- | --- | --- |"];
  for (const image of failedFirst(images)) {
    lines.push(
      `| **${escapeText(imageLabel(image, images))}** | ${statusCell(image)} | ${image.digest ? code(shortDigest(image.digest)) : "\u2014"} | ${platformsInBrief(image) ?? "\u2014"} | ${tagCell(image)} |`
    );
  }
  return lines;
}
function tagTable(image) {
  const results = image.tagResults ?? [];
  if (results.length === 0) return [];
  const lines = ["| Tag | What happened |", "| --- | --- |"];
  for (const t of results) {
    const role = t.role === "release" ? " (release)" : "";
    lines.push(`| ${code(t.tag)}${role} | ${escapeTagText(t, image.digest)} |`);
  }
  return [...lines, ""];
}
function markedUp(build) {
  const values = [];
  const text = build((value) => `\uE000${values.push(value) - 1}\uE001`);
  return escapeText(text).replace(/\uE000(\d+)\uE001/g, (_, i) => code(values[Number(i)]));
}
function escapeTagText(t, digest) {
  return markedUp((asCode) => tagChangeText(t, digest, asCode));
}
function osVersion(platform) {
  return /\(([^)]+)\)/.exec(platform)?.[1] ?? "";
}
function platformTable(image) {
  const mark = (platform) => {
    const change = platformChange(image, platform);
    if (change === void 0) return "";
    return change === "same" ? "same" : `${CHANGE_ICON[change]} ${PLATFORM_CHANGE_WORD[change]}`;
  };
  const failed = image.status === "failed" && image.sourceProblems !== void 0;
  if (image.platforms.length === 0 && !failed) return [];
  const lines = [
    `| Platform | Per-arch image | ${failed ? "Found" : "Change"} | Digest | os.version |`,
    "| --- | --- | --- | --- | --- |"
  ];
  for (const p of image.platforms) {
    const notes = platformNotes(p, (words) => `\u26A0\uFE0F ${words}`);
    lines.push(
      `| ${escapeText(p.platform.replace(/\([^)]*\)/, ""))} | ${code(sourceLabel(image.image, p.source))} | ${failed ? `\u2705 ${FOUND_WORD}` : mark(p.platform)} | ${code(p.digest)}${notes.length ? ` ${escapeText(notes.join("; "))}` : ""} | ${escapeText(osVersion(p.platform))} |`
    );
  }
  for (const problem of image.sourceProblems ?? []) {
    lines.push(
      `| ${escapeText(problem.platform ?? "?")} | ${code(sourceLabel(image.image, problem.source))} | ${problem.problem === "missing" ? "\u274C" : "\u26A0\uFE0F"} ${SOURCE_PROBLEM_WORD[problem.problem]} | \u2014 | |`
    );
  }
  for (const removed of image.changes?.removed ?? []) {
    lines.push(
      `| ${escapeText(removed)} | \u2014 | ${CHANGE_ICON.removed} ${PLATFORM_CHANGE_WORD.removed} | \u2014 | |`
    );
  }
  return [...lines, ""];
}
function changeLine(image) {
  const c = image.changes;
  if (!c) return [];
  const against = comparedWithText(c, code);
  const changed = changeText(
    c,
    (platforms) => escapeText(platforms.join(", ")),
    (change) => `${CHANGE_ICON[change]} `
  );
  return [`**Changed${against ? ` (${against})` : ""}:** ${changed}`, ""];
}
function factLines(facts) {
  if (facts.length === 0) return [];
  return [...facts.map((f) => `**${f.label}:** ${f.text}  `), ""];
}
function discoveryLines(image) {
  const discovery = image.discovery;
  if (!discovery) return [];
  return factLines(discoveryFacts(discovery, code, escapeText));
}
function rateLimitLines(image) {
  if (!image.rateLimit) return [];
  return factLines([pullLimitFact(image.rateLimit)]);
}
function errorLines(image) {
  if (!image.error) return [];
  const [first, ...rest] = image.error.split(/\r?\n/);
  const lines = [`**Next step:** ${escapeNext(image)}`, "", `> ${escapeText(first)}`, ""];
  if (rest.length > 0) {
    lines.push(
      "<details><summary>Full error</summary>",
      "",
      ...fenced(image.error),
      "",
      "</details>",
      ""
    );
  }
  return lines;
}
function escapeNext(image) {
  return markedUp((asCode) => nextStep(image, asCode, asCode));
}
function imageSection(image) {
  const failed = image.status === "failed";
  const lines = [
    `<details${failed ? " open" : ""}><summary>${STATUS_ICON[image.status]} <b>${escapeText(shortName(image.image))}</b>: ${escapeText(STATUS_WORD[image.status])} \u2014 ${escapeText(statusSentence(image))}</summary>`,
    ""
  ];
  lines.push(`**Repository:** ${code(image.image)}  `);
  const index = indexText(image, code, escapeText);
  if (index) lines.push(`**Index:** ${index}  `);
  lines.push("");
  lines.push(...errorLines(image));
  lines.push(...tagTable(image));
  lines.push(...changeLine(image));
  lines.push(...discoveryLines(image));
  lines.push(...rateLimitLines(image));
  lines.push(...platformTable(image));
  lines.push("</details>", "");
  return lines;
}
function renderSummary(report, context) {
  const images = report.images;
  const failed = images.some((i) => i.status === "failed") || images.length === 0;
  const icon = failed ? "\u274C" : context.mode === "dry-run" ? "\u{1F4DD}" : "\u2705";
  const lines = [`## ${icon} ${escapeText(headline(images, context.tag, context.mode))}`, ""];
  const note = heldBackNote(images, context.mode);
  if (note) lines.push(`> \u26A0\uFE0F ${escapeText(note)}`, "");
  if (images.length > 0) lines.push(...overview(images), "");
  const indexes = images.filter((i) => i.digest);
  if (indexes.length > 0) {
    lines.push(
      context.mode === "dry-run" ? "The indexes it would push:" : "Pull by digest:",
      "",
      ...fenced(indexes.map((i) => `${i.image}@${i.digest}`).join("\n")),
      ""
    );
  }
  for (const image of failedFirst(images)) lines.push(...imageSection(image));
  lines.push(`<sub>multiarch-index, mode ${escapeText(context.mode)}</sub>`, "");
  return lines.join("\n");
}
export {
  STATUS_ICON,
  renderSummary
};
