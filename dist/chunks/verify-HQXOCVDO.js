import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  DEFAULT_CONCURRENCY,
  isAttestation,
  mapBounded,
  matchingEntries,
  readSource
} from "./chunk-GCG6PQYZ.js";
import "./chunk-2IUHS6XZ.js";
import "./chunk-SWRJAXB6.js";
import "./chunk-PCIAHVJB.js";
import {
  formatPlatform,
  isUnknownPlatform,
  normalizedPlatformKey,
  platformMismatch
} from "./chunk-C2UZFPC5.js";
import {
  PublishError
} from "./chunk-IXG4YG5H.js";
import {
  formatReference
} from "./chunk-HJGTKYEE.js";
import "./chunk-CM7TTNES.js";
import "./chunk-WGTGFSMG.js";
import "./chunk-QZHQZAVZ.js";
import "./chunk-PY5VAGIZ.js";

// src/publish/verify.ts
function entriesFor(manifests, expected, actual) {
  if (expected) {
    const want = normalizedPlatformKey(expected);
    return manifests.filter(
      (d) => d.platform && !isAttestation(d) && normalizedPlatformKey(d.platform) === want && platformMismatch(expected, d.platform) === void 0
    );
  }
  return actual ? matchingEntries(manifests, actual) : [];
}
async function verifyImage(ctx, plan) {
  const [releaseTag, ...extraTags] = plan.tags;
  const ref = formatReference({ ...plan.image, tag: releaseTag });
  const [index, sources, extraHeads] = await Promise.all([
    ctx.repo.getManifest(releaseTag),
    mapBounded(plan.sources, ctx.concurrency ?? DEFAULT_CONCURRENCY, (s) => readSource(ctx, s)),
    Promise.all(extraTags.map((tag) => ctx.repo.headManifest(tag)))
  ]);
  if (!index) {
    const absent = plan.sources.filter((_, i) => sources[i].kind !== "ok").map((s) => formatReference(s.reference));
    const next = absent.length === 0 ? `all ${plan.sources.length} per-arch image(s) are present and check out: mode publish will create it` : `a publish would fail too; not usable: ${absent.join(", ")}`;
    throw new PublishError(
      "VERIFY_FAILED",
      `${ref} does not exist: the index was never pushed (${next})`
    );
  }
  if (index.parsed.kind !== "index") {
    throw new PublishError(
      "VERIFY_FAILED",
      `${ref} is a single-platform manifest (${index.mediaType}), not an index`
    );
  }
  const manifests = index.parsed.document.manifests;
  const problems = [];
  const notes = [];
  const platforms = [];
  const used = /* @__PURE__ */ new Set();
  await mapBounded(plan.sources, ctx.concurrency ?? DEFAULT_CONCURRENCY, async (planned, i) => {
    const outcome = sources[i];
    const current = outcome.kind === "ok" ? outcome.resolved.entry : void 0;
    const name = planned.expected?.text ?? (current ? formatPlatform(current.platform) : formatReference(planned.reference));
    if (!planned.expected && !current) {
      problems.push(
        `${formatReference(planned.reference)}: cannot tell its platform (${outcome.kind === "problem" ? outcome.problem : "not found"})`
      );
      return;
    }
    const entries = entriesFor(manifests, planned.expected, current?.platform);
    if (entries.length === 0) {
      problems.push(`${ref} has no entry for ${name}`);
      return;
    }
    if (entries.length > 1) {
      problems.push(
        `${ref} has ${entries.length} entries for ${name} (${entries.map((e) => e.digest).join(", ")}); a puller cannot tell which is meant`
      );
      return;
    }
    const entry = entries[0];
    used.add(entry.digest);
    const exists = await ctx.repo.headManifest(entry.digest);
    if (!exists) {
      problems.push(`${ref}: the entry for ${name} (${entry.digest}) is not in the repository`);
      return;
    }
    const stale = current !== void 0 && current.digest !== entry.digest;
    if (stale)
      notes.push(
        `${name}: the index has ${entry.digest}, ${formatReference(planned.reference)} now holds ${current.digest} (stale)`
      );
    if (outcome.kind === "missing")
      notes.push(`${name}: the per-arch tag ${formatReference(planned.reference)} no longer exists`);
    platforms[i] = {
      platform: formatPlatform(entry.platform),
      source: formatReference(planned.reference),
      digest: entry.digest,
      size: entry.size,
      mediaType: entry.mediaType,
      ...stale ? { stale: true } : {}
    };
  });
  extraTags.forEach((tag, i) => {
    const head = extraHeads[i];
    const tagRef = formatReference({ ...plan.image, tag });
    if (!head) problems.push(`${tagRef} does not exist`);
    else if (head.digest !== index.digest)
      problems.push(`${tagRef} holds ${head.digest}, not the index ${index.digest} of ${ref}`);
  });
  for (const d of manifests) {
    if (!used.has(d.digest) && !isAttestation(d) && d.platform && !isUnknownPlatform(d.platform)) {
      notes.push(
        `${ref} also has ${formatPlatform(d.platform)} (${d.digest}), which was not expected`
      );
    }
  }
  if (problems.length > 0)
    throw new PublishError("VERIFY_FAILED", `${ref} is not a complete index`, problems);
  return {
    digest: index.digest,
    mediaType: index.mediaType,
    platforms: platforms.filter(Boolean),
    notes
  };
}
export {
  verifyImage
};
