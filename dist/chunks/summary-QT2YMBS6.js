import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  shortDigest
} from "./chunk-WGTGFSMG.js";
import {
  escapeHtml,
  markdownCode,
  markdownText,
  neutralise
} from "./chunk-4RJWQRB3.js";
import "./chunk-PY5VAGIZ.js";

// src/action/summary.ts
var STATUS_WORDS = {
  created: "created: the index was pushed for the first time",
  updated: "updated: the tag held a different index, which was replaced",
  unchanged: "unchanged: the tag already held this exact index; nothing was written",
  verified: "verified: the index is complete and every platform resolves",
  planned: "planned (dry-run): nothing was written",
  failed: "failed"
};
var STATUS_ICON = {
  created: "\u2705",
  updated: "\u2705",
  unchanged: "\u2705",
  verified: "\u2705",
  planned: "\u{1F4DD}",
  failed: "\u274C"
};
function cell(text) {
  return markdownText(text);
}
function digestCode(digest) {
  const title = escapeHtml(neutralise(digest)).replace(/\|/g, "&#124;");
  return `<code title="${title}">${markdownText(shortDigest(digest))}</code>`;
}
function sourceTag(source) {
  const at = source.lastIndexOf("@");
  if (at >= 0) return source.slice(at + 1);
  const colon = source.lastIndexOf(":");
  const slash = source.lastIndexOf("/");
  return colon > slash ? source.slice(colon + 1) : source;
}
function osVersion(platform) {
  return /\(([^)]+)\)/.exec(platform)?.[1] ?? "";
}
function imageSection(image) {
  const lines = [];
  lines.push(`### ${STATUS_ICON[image.status]} ${markdownCode(image.image)}`);
  lines.push("");
  lines.push(
    `**Status:** ${STATUS_WORDS[image.status]}${image.plannedAction ? ` (would ${image.plannedAction === "nothing" ? "change nothing" : image.plannedAction})` : ""}  `
  );
  lines.push(`**Tags:** ${image.tags.map(markdownCode).join(", ")}  `);
  if (image.digest)
    lines.push(`**Index:** ${digestCode(image.digest)} (${cell(image.mediaType ?? "")})  `);
  if (image.previousDigest) lines.push(`**Previous index:** ${digestCode(image.previousDigest)}  `);
  if (image.discovery) {
    const found = image.discovery.found.map((f) => `${markdownCode(f.tag)} (${markdownCode(f.platform)})`).join(", ");
    lines.push(`**Discovered (platforms: auto):** ${found || "nothing"}  `);
    for (const group of image.discovery.ignored) {
      const more = group.count > group.examples.length ? ", \u2026" : "";
      lines.push(
        `**Ignored ${group.count}:** ${cell(group.why)} (${group.examples.map(markdownCode).join(", ")}${more})  `
      );
    }
    if (image.discovery.invalidTags)
      lines.push(
        `**Dropped ${image.discovery.invalidTags}:** names in the tag listing that are not valid tag names  `
      );
    if (image.discovery.truncated)
      lines.push(
        `**Note:** ${cell(image.discovery.truncatedWhy ?? "the tag listing stopped at its page limit; more tags may exist")}  `
      );
  }
  if (image.changes) {
    const parts = [
      image.changes.added.length ? `added ${image.changes.added.map(cell).join(", ")}` : "",
      image.changes.removed.length ? `removed ${image.changes.removed.map(cell).join(", ")}` : "",
      image.changes.changed.length ? `new image for ${image.changes.changed.map(cell).join(", ")}` : ""
    ].filter(Boolean);
    lines.push(`**Changed:** ${parts.join("; ") || "platforms unchanged (entry details differ)"}  `);
  }
  lines.push("");
  if (image.platforms.length > 0) {
    lines.push("| Platform | Source tag | Digest | os.version |");
    lines.push("| --- | --- | --- | --- |");
    for (const p of image.platforms) {
      const stale = p.stale ? " \u26A0\uFE0F stale" : "";
      const attest = p.attestations ? ` (+${p.attestations} attestation${p.attestations === 1 ? "" : "s"})` : "";
      lines.push(
        `| ${cell(p.platform.replace(/\([^)]*\)/, ""))} | ${markdownCode(sourceTag(p.source))} | ${digestCode(p.digest)}${stale}${attest} | ${cell(osVersion(p.platform))} |`
      );
    }
    lines.push("");
  }
  if (image.error) {
    const longestRun = Math.max(0, ...(image.error.match(/`+/g) ?? []).map((run) => run.length));
    const fence = "`".repeat(Math.max(3, longestRun + 1));
    lines.push(`${fence}text`);
    lines.push(image.error);
    lines.push(fence);
    lines.push("");
  }
  return lines.join("\n");
}
function renderSummary(report, title = "multiarch-index") {
  return [`## ${title}`, "", ...report.images.map(imageSection)].join("\n");
}
export {
  renderSummary
};
