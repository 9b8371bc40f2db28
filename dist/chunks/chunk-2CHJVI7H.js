import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);

// src/publish/report-words.ts
var STATUS_WORD = {
  created: "created",
  updated: "updated",
  unchanged: "unchanged",
  verified: "verified",
  planned: "planned",
  failed: "failed"
};
var STATUS_MEANING = {
  created: "the release tag was new and now holds the index",
  updated: "the release tag held a different index, which was replaced",
  unchanged: "the release tag already held this exact index; it was not written",
  verified: "the index is complete and every platform resolves",
  planned: "dry-run: nothing was written",
  failed: "failed"
};
var PLANNED_WORD = {
  create: "would create",
  update: "would update",
  nothing: "already published"
};
function plannedWords(action) {
  return action === "create" ? "would create the release tag" : action === "update" ? "would replace the release tag's index" : "the release tag already holds this index";
}
var TAG_CHANGE_WORD = {
  created: "created",
  moved: "moved",
  unchanged: "unchanged",
  "would-create": "would be created",
  "would-move": "would move",
  "held-back": "held back",
  "not-written": "not written",
  unknown: "unknown"
};
var plain = (text) => text;
function holding(digest, code) {
  if (digest === void 0) return "not known";
  return digest === null ? "nothing" : code(digest);
}
function tagChangeText(t, newDigest, code = plain) {
  const before = holding(t.previousDigest, code);
  const after = newDigest ? code(newDigest) : "the new index";
  const older = t.older ? ` (back to an older index: ${t.older})` : "";
  switch (t.change) {
    case "created":
      return `created: now holds ${after}`;
    case "would-create":
      return `would be created, holding ${after}`;
    case "moved":
      return `moved from ${before} to ${after}${older}`;
    case "would-move":
      return `would move from ${before} to ${after}${older}`;
    case "unchanged":
      return `unchanged: already held ${after}`;
    case "held-back":
      return `held back (the release is incomplete): still holds ${before}`;
    case "not-written":
      return `not written: holds ${before}${t.previousDigest ? " (what it held before)" : ""}`;
    case "unknown":
      return `unknown: its write was under way, so it holds ${before} or ${after}; a re-run settles it`;
  }
}
var OLDER_WORD = "older";
function tagsInBrief(image, code = plain, older = (word) => ` (${word})`) {
  if (!image.tagResults) return image.tags.map(code);
  return image.tagResults.map(
    (t) => `${code(t.tag)} ${TAG_CHANGE_WORD[t.change]}${t.older ? older(OLDER_WORD) : ""}`
  );
}
function failedFirst(images) {
  return [
    ...images.filter((i) => i.status === "failed"),
    ...images.filter((i) => i.status !== "failed")
  ];
}
function imageLabel(image, images) {
  const several = new Set(images.map((i) => i.tags[0])).size > 1;
  return several ? `${shortName(image.image)}:${image.tags[0]}` : shortName(image.image);
}
function statusInBrief(image, status = plain) {
  const planned = image.plannedAction ? `: ${PLANNED_WORD[image.plannedAction]}` : "";
  return `${status(STATUS_WORD[image.status])}${planned}`;
}
function errorHeadline(error) {
  return (error ?? "failed").split(/\r?\n/)[0].replace(/:$/, "");
}
function statusSentence(image) {
  if (image.status === "failed") return errorHeadline(image.error);
  const planned = image.plannedAction ? `; ${plannedWords(image.plannedAction)}` : "";
  return `${STATUS_MEANING[image.status]}${planned}`;
}
function indexText(image, code = plain, text = plain) {
  if (!image.digest) return void 0;
  return `${code(`${image.image}@${image.digest}`)}${image.mediaType ? ` (${text(image.mediaType)})` : ""}`;
}
function platformsInBrief(image) {
  if (image.status === "failed" && image.sourceProblems) {
    return `${image.platforms.length} of ${image.platforms.length + image.sourceProblems.length} found`;
  }
  return image.platforms.length > 0 ? String(image.platforms.length) : void 0;
}
var PLATFORM_CHANGE_WORD = {
  added: "added",
  removed: "removed",
  changed: "new image"
};
function platformChange(image, platform) {
  const changes = image.changes;
  if (!changes) return void 0;
  const key = platform.replace(/\([^)]*\)/, "");
  const named = (list) => list.some((p) => p === platform || p === key);
  if (named(changes.added)) return "added";
  if (named(changes.changed)) return "changed";
  return "same";
}
function changeText(changes, list = (platforms) => platforms.join(", "), mark = () => "") {
  const part = (change, words) => changes[change].length ? `${mark(change)}${words} ${list(changes[change])}` : "";
  const parts = [
    part("added", PLATFORM_CHANGE_WORD.added),
    part("removed", PLATFORM_CHANGE_WORD.removed),
    part("changed", `${PLATFORM_CHANGE_WORD.changed} for`)
  ].filter(Boolean);
  return parts.join("; ") || "platforms unchanged (entry details differ)";
}
function comparedWithText(changes, code = plain) {
  const c = changes.comparedWith;
  return c ? `compared with ${code(c.digest)}, which ${code(c.tag)} held` : void 0;
}
function platformNotes(p, stale = plain) {
  return [
    p.stale ? stale("stale: the per-arch tag now holds another image") : "",
    p.attestations ? `+${p.attestations} attestation${p.attestations === 1 ? "" : "s"}` : ""
  ].filter(Boolean);
}
var FOUND_WORD = "found";
var SOURCE_PROBLEM_WORD = {
  missing: "not found",
  wrong: "not what its tag says"
};
function sourceLabel(image, source) {
  return source.startsWith(`${image}:`) ? source.slice(image.length + 1) : source;
}
function shortName(image) {
  return image.slice(image.lastIndexOf("/") + 1);
}
function discoveryFacts(discovery, code = plain, text = plain) {
  const found = discovery.found.map((f) => `${code(f.tag)} (${text(f.platform)})`).join(", ");
  const facts = [{ label: "Discovered (platforms: auto)", text: found || "nothing" }];
  for (const group of discovery.ignored) {
    const more = group.count > group.examples.length ? ", \u2026" : "";
    facts.push({
      label: `Ignored ${group.count}`,
      text: `${text(group.why)} (${group.examples.map(code).join(", ")}${more})`
    });
  }
  if (discovery.invalidTags)
    facts.push({
      label: `Dropped ${discovery.invalidTags}`,
      text: "names in the tag listing that are not valid tag names"
    });
  if (discovery.truncated)
    facts.push({
      label: "Note",
      text: text(
        discovery.truncatedWhy ?? "the tag listing stopped at its page limit; more tags may exist"
      )
    });
  return facts;
}
function formatWindow(seconds) {
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}min`;
  return `${seconds}s`;
}
function pullLimitFact(rateLimit) {
  const { limit, remaining, windowSeconds } = rateLimit;
  const window = windowSeconds ? ` per ${formatWindow(windowSeconds)}` : "";
  return { label: "Pull limit", text: `${remaining} of ${limit}${window} left` };
}

// src/publish/result.ts
function overallStatus(images) {
  const statuses = images.map((i) => i.status);
  if (statuses.length === 0 || statuses.includes("failed")) return "failed";
  if (statuses.includes("updated")) return "updated";
  if (statuses.includes("created")) return "created";
  return statuses[0];
}
function resultDocument(images) {
  const heldBack = heldBackTags(images);
  return {
    images: images.map((i) => {
      const { image, tags, digest, mediaType, status, previousDigest, platforms, error, ...rest } = i;
      return { image, tags, digest, mediaType, status, previousDigest, platforms, error, ...rest };
    }),
    ...heldBack.length > 0 ? { heldBack } : {}
  };
}
function heldBackTags(images) {
  return images.flatMap(
    (i) => (i.tagResults ?? []).filter((t) => t.change === "held-back").map((t) => `${i.image}:${t.tag}`)
  );
}

// src/publish/report-sentences.ts
function count(n, word) {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
function heldBackNames(images) {
  return [...new Set(heldBackTags(images).map((ref) => ref.slice(ref.lastIndexOf(":") + 1)))];
}
function backwards(images) {
  const byTag = /* @__PURE__ */ new Map();
  for (const i of images)
    for (const t of i.tagResults ?? []) if (t.older) byTag.set(t.tag, (byTag.get(t.tag) ?? 0) + 1);
  return [...byTag].map(([tag, n]) => `${tag} (${count(n, "image")})`);
}
function headline(images, runTag, mode) {
  const tag = releaseLabel(images, runTag);
  const n = images.length;
  const failed = images.filter((i) => i.status === "failed").length;
  const by = (s) => images.filter((i) => i.status === s).length;
  const parts = [];
  if (mode === "verify") {
    parts.push(`${by("verified")} of ${count(n, "image")} verified`);
    if (failed) parts.push(`${failed} failed`);
    return `${tag}: ${parts.join(", ")}`;
  }
  if (mode === "dry-run") {
    const planned = images.filter((i) => i.status === "planned");
    const action = (a) => planned.filter((i) => i.plannedAction === a).length;
    parts.push(`${planned.length} of ${count(n, "image")} ready to publish`);
    if (failed) parts.push(`${failed} failed`);
    const plan = [
      action("create") ? `${action("create")} would be created` : "",
      action("update") ? `${action("update")} would be updated` : "",
      action("nothing") ? `${action("nothing")} already published` : ""
    ].filter(Boolean);
    let text2 = `${tag} (dry-run): ${parts.join(", ")}${plan.length ? ` (${plan.join(", ")})` : ""}`;
    const held2 = heldBackNames(images);
    if (held2.length) text2 += `; ${held2.join(", ")} would be held back`;
    const back2 = backwards(images);
    if (back2.length) text2 += `; ${back2.join(", ")} would move back to an older index`;
    return `${text2}; nothing was written`;
  }
  const published = by("created") + by("updated") + by("unchanged");
  parts.push(`${published} of ${count(n, "image")} published`);
  if (failed) parts.push(`${failed} failed`);
  const kinds = [
    by("created") ? `${by("created")} created` : "",
    by("updated") ? `${by("updated")} updated` : "",
    by("unchanged") ? `${by("unchanged")} unchanged` : ""
  ].filter(Boolean);
  let text = `${tag}: ${parts.join(", ")}`;
  if (!failed && kinds.length) text += ` (${kinds.join(", ")})`;
  const held = heldBackNames(images);
  if (held.length) text += `; ${held.join(", ")} held back`;
  const back = backwards(images);
  if (back.length) text += `; ${back.join(", ")} moved back to an older index`;
  return text;
}
function heldBackNote(images, mode) {
  const held = heldBackNames(images);
  if (held.length === 0) return void 0;
  const failed = images.filter((i) => i.status === "failed").map((i) => shortName(i.image));
  const verb = mode === "dry-run" ? "would stay" : "stayed";
  return `The release is incomplete (${failed.join(", ")} failed), so ${held.join(", ")} ${verb} where ${held.length === 1 ? "it was" : "they were"} on every image: a floating tag never mixes two releases. The release tags of the complete images ${mode === "dry-run" ? "would be" : "were"} written; ${held.length === 1 ? "it moves" : "they move"} on the run in which every image is published (floating-tags: together).`;
}
function nextStep(image, input, code = plain) {
  const problems = image.sourceProblems ?? [];
  switch (image.errorCode) {
    case "SOURCES_MISSING": {
      const missing = problems.filter((p) => p.problem === "missing").map((p) => code(p.source));
      return missing.length > 0 ? `push ${missing.join(", ")}, then re-run this job; if ${missing.length === 1 ? "it is" : "they are"} still being built, set ${input("wait-timeout")} (e.g. 10m) so the step waits` : `check the per-arch tags named above, then re-run this job`;
    }
    case "PLATFORM_MISMATCH":
      return `push the right image under ${problems.map((p) => code(p.source)).join(", ") || "the tags named above"} (the config says another platform), then re-run this job`;
    case "TAG_HOLDS_OTHER":
      return `the release tag holds another index and ${input("on-existing")} is keep: publish under a new tag, or re-run with ${input("on-existing")} update to replace it`;
    case "CANCELLED":
      return "re-run this job: it writes only what is missing and leaves what is right alone";
    default:
      return "fix the cause below, then re-run this job: a re-run writes only what is missing and leaves what is right alone";
  }
}
function failureLine(images, options, names = images.filter((i) => i.status === "failed").map((i) => i.image)) {
  const failed = images.filter((i) => i.status === "failed");
  let line = `${failed.length} of ${images.length} image(s) failed: ${names.join(", ")}`;
  const held = heldBackNames(images);
  if (held.length > 0) {
    line += `; the release ${releaseLabel(images, options.tag)} is incomplete: ${held.join(", ")} ${options.mode === "dry-run" ? "would be" : held.length === 1 ? "was" : "were"} held back on every image (still on the previous release)`;
  }
  return line;
}
function releaseLabel(images, fallback) {
  const tags = [...new Set(images.map((i) => i.tags[0]).filter(Boolean))];
  if (tags.length <= 1) return tags[0] ?? fallback;
  return tags.join(", ");
}
function imageDoneLine(report) {
  return `${report.image}: ${report.status}${report.digest ? ` ${report.digest}` : ""}`;
}
function cancellingLine(signal) {
  return `received ${signal}: cancelling; no further request will be sent`;
}
var NOTHING_SENT = "(nothing was sent to any registry)";

export {
  overallStatus,
  resultDocument,
  STATUS_WORD,
  tagChangeText,
  tagsInBrief,
  failedFirst,
  imageLabel,
  statusInBrief,
  statusSentence,
  indexText,
  platformsInBrief,
  PLATFORM_CHANGE_WORD,
  platformChange,
  changeText,
  comparedWithText,
  platformNotes,
  FOUND_WORD,
  SOURCE_PROBLEM_WORD,
  sourceLabel,
  shortName,
  discoveryFacts,
  pullLimitFact,
  headline,
  heldBackNote,
  nextStep,
  failureLine,
  imageDoneLine,
  cancellingLine,
  NOTHING_SENT
};
