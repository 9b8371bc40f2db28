import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  PLANNED_WORD,
  STATUS_MEANING,
  STATUS_WORD,
  TAG_CHANGE_WORD,
  headline,
  heldBackNote,
  nextStep,
  plannedWords,
  shortName,
  sourceLabel,
  tagChangeText
} from "./chunk-VF55ICV5.js";
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
function tagCell(image) {
  if (!image.tagResults) return image.tags.map(code).join(", ");
  return image.tagResults.map(
    (t) => `${code(t.tag)} ${escapeText(TAG_CHANGE_WORD[t.change])}${t.older ? " \u26A0\uFE0F older" : ""}`
  ).join("<br>");
}
function platformsCell(image) {
  if (image.status === "failed" && image.sourceProblems) {
    const total = image.platforms.length + image.sourceProblems.length;
    return `${image.platforms.length} of ${total} found`;
  }
  return image.platforms.length > 0 ? String(image.platforms.length) : "\u2014";
}
function statusCell(image) {
  const planned = image.plannedAction ? `: ${escapeText(PLANNED_WORD[image.plannedAction])}` : "";
  return `${STATUS_ICON[image.status]} ${STATUS_WORD[image.status]}${planned}`;
}
function overview(images) {
  const order = [
    ...images.filter((i) => i.status === "failed"),
    ...images.filter((i) => i.status !== "failed")
  ];
  const several = new Set(images.map((i) => i.tags[0])).size > 1;
  const name = (image) => several ? `${shortName(image.image)}:${image.tags[0]}` : shortName(image.image);
  const lines = ["| Image | Status | Index | Platforms | Tags |", "| --- | --- | --- | --- | --- |"];
  for (const image of order) {
    lines.push(
      `| **${escapeText(name(image))}** | ${statusCell(image)} | ${image.digest ? code(shortDigest(image.digest)) : "\u2014"} | ${platformsCell(image)} | ${tagCell(image)} |`
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
  const changes = image.changes;
  const mark = (platform) => {
    const key = platform.replace(/\([^)]*\)/, "");
    if (changes?.added.some((p) => p === platform || p === key)) return "\u2795 added";
    if (changes?.changed.some((p) => p === platform || p === key)) return "\u270F\uFE0F new image";
    return changes ? "same" : "";
  };
  const failed = image.status === "failed" && image.sourceProblems !== void 0;
  if (image.platforms.length === 0 && !failed) return [];
  const lines = [
    `| Platform | Per-arch image | ${failed ? "Found" : "Change"} | Digest | os.version |`,
    "| --- | --- | --- | --- | --- |"
  ];
  for (const p of image.platforms) {
    const notes = [
      p.stale ? "\u26A0\uFE0F stale: the per-arch tag now holds another image" : "",
      p.attestations ? `+${p.attestations} attestation${p.attestations === 1 ? "" : "s"}` : ""
    ].filter(Boolean);
    lines.push(
      `| ${escapeText(p.platform.replace(/\([^)]*\)/, ""))} | ${code(sourceLabel(image.image, p.source))} | ${failed ? "\u2705 found" : mark(p.platform)} | ${code(p.digest)}${notes.length ? ` ${escapeText(notes.join("; "))}` : ""} | ${escapeText(osVersion(p.platform))} |`
    );
  }
  for (const problem of image.sourceProblems ?? []) {
    lines.push(
      `| ${escapeText(problem.platform ?? "?")} | ${code(sourceLabel(image.image, problem.source))} | ${problem.problem === "missing" ? "\u274C not found" : "\u26A0\uFE0F not what its tag says"} | \u2014 | |`
    );
  }
  for (const removed of changes?.removed ?? []) {
    lines.push(`| ${escapeText(removed)} | \u2014 | \u2796 removed | \u2014 | |`);
  }
  return [...lines, ""];
}
function changeLine(image) {
  const c = image.changes;
  if (!c) return [];
  const parts = [
    c.added.length ? `\u2795 added ${escapeText(c.added.join(", "))}` : "",
    c.removed.length ? `\u2796 removed ${escapeText(c.removed.join(", "))}` : "",
    c.changed.length ? `\u270F\uFE0F new image for ${escapeText(c.changed.join(", "))}` : ""
  ].filter(Boolean);
  const against = c.comparedWith ? ` (compared with ${code(c.comparedWith.digest)}, which ${code(c.comparedWith.tag)} held)` : "";
  return [
    `**Changed${against}:** ${parts.join("; ") || "platforms unchanged (entry details differ)"}`,
    ""
  ];
}
function discoveryLines(image) {
  if (!image.discovery) return [];
  const lines = [];
  const found = image.discovery.found.map((f) => `${code(f.tag)} (${escapeText(f.platform)})`).join(", ");
  lines.push(`**Discovered (platforms: auto):** ${found || "nothing"}  `);
  for (const group of image.discovery.ignored) {
    const more = group.count > group.examples.length ? ", \u2026" : "";
    lines.push(
      `**Ignored ${group.count}:** ${escapeText(group.why)} (${group.examples.map(code).join(", ")}${more})  `
    );
  }
  if (image.discovery.invalidTags)
    lines.push(
      `**Dropped ${image.discovery.invalidTags}:** names in the tag listing that are not valid tag names  `
    );
  if (image.discovery.truncated)
    lines.push(
      `**Note:** ${escapeText(image.discovery.truncatedWhy ?? "the tag listing stopped at its page limit; more tags may exist")}  `
    );
  return [...lines, ""];
}
function formatWindow(seconds) {
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}min`;
  return `${seconds}s`;
}
function rateLimitLines(image) {
  if (!image.rateLimit) return [];
  const { limit, remaining, windowSeconds } = image.rateLimit;
  const window = windowSeconds ? ` per ${formatWindow(windowSeconds)}` : "";
  return [`**Pull limit:** ${remaining} of ${limit}${window} left  `, ""];
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
function firstLine(text) {
  return (text ?? "failed").split(/\r?\n/)[0].replace(/:$/, "");
}
function imageSection(image) {
  const failed = image.status === "failed";
  const planned = image.plannedAction ? `, ${plannedWords(image.plannedAction)}` : "";
  const lines = [
    `<details${failed ? " open" : ""}><summary>${STATUS_ICON[image.status]} <b>${escapeText(shortName(image.image))}</b>: ${escapeText(STATUS_WORD[image.status])} \u2014 ${escapeText(failed ? firstLine(image.error) : STATUS_MEANING[image.status] + planned)}</summary>`,
    ""
  ];
  lines.push(`**Repository:** ${code(image.image)}  `);
  if (image.digest) {
    lines.push(
      `**Index:** ${code(`${image.image}@${image.digest}`)}${image.mediaType ? ` (${escapeText(image.mediaType)})` : ""}  `
    );
  }
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
  const order = [
    ...images.filter((i) => i.status === "failed"),
    ...images.filter((i) => i.status !== "failed")
  ];
  for (const image of order) lines.push(...imageSection(image));
  lines.push(`<sub>multiarch-index, mode ${escapeText(context.mode)}</sub>`, "");
  return lines.join("\n");
}
export {
  STATUS_ICON,
  escapeText,
  renderSummary
};
