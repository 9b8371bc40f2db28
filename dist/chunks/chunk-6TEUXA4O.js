import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  isMediaTypeName,
  platformFieldsProblem,
  quoted
} from "./chunk-ZPW5LADL.js";
import {
  DEFAULT_CONCURRENCY,
  formatSeconds,
  mapBounded
} from "./chunk-NZHQKCME.js";
import {
  PublishError
} from "./chunk-L7RAGGVW.js";
import {
  formatPlatform,
  fullPlatformKey,
  isUnknownPlatform,
  normalizedPlatformKey,
  platformFromConfig,
  platformMismatch
} from "./chunk-C2UZFPC5.js";
import {
  formatReference
} from "./chunk-OCFYHP7R.js";
import {
  isDigest
} from "./chunk-WGTGFSMG.js";

// src/oci/media-types.ts
var MEDIA_TYPE_OCI_INDEX = "application/vnd.oci.image.index.v1+json";
var MEDIA_TYPE_OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
var MEDIA_TYPE_DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
var MEDIA_TYPE_DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
var MANIFEST_ACCEPT = [
  MEDIA_TYPE_OCI_INDEX,
  MEDIA_TYPE_OCI_MANIFEST,
  MEDIA_TYPE_DOCKER_LIST,
  MEDIA_TYPE_DOCKER_MANIFEST
];
function isManifestMediaType(value) {
  return MANIFEST_ACCEPT.includes(value);
}
function isIndexMediaType(value) {
  return value === MEDIA_TYPE_OCI_INDEX || value === MEDIA_TYPE_DOCKER_LIST;
}
function baseMediaType(contentType) {
  return (contentType ?? "").split(";")[0].trim().toLowerCase();
}

// src/oci/manifest-parse.ts
var ManifestFormatError = class extends Error {
  name = "ManifestFormatError";
};
function isObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
function checkDescriptor(value, where) {
  if (!isObject(value) || typeof value.mediaType !== "string" || typeof value.digest !== "string" || typeof value.size !== "number") {
    throw new ManifestFormatError(`${where} is not a descriptor (mediaType, digest, size)`);
  }
  if (!isDigest(value.digest))
    throw new ManifestFormatError(`${where}.digest ${quoted(value.digest)} is not a digest`);
  if (!isMediaTypeName(value.mediaType))
    throw new ManifestFormatError(
      `${where}.mediaType ${quoted(value.mediaType)} is not a media type`
    );
  if (!Number.isSafeInteger(value.size) || value.size < 0)
    throw new ManifestFormatError(`${where}.size ${value.size} is not a byte count`);
  if (value.platform !== void 0) {
    const platform = value.platform;
    if (!isObject(platform) || typeof platform.os !== "string" || typeof platform.architecture !== "string")
      throw new ManifestFormatError(`${where}.platform has no os and architecture`);
    const problem = platformFieldsProblem(platform);
    if (problem) throw new ManifestFormatError(`${where}.platform: ${problem}`);
  }
  return value;
}
function parseManifest(bytes, contentType) {
  let body;
  try {
    body = JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch {
    throw new ManifestFormatError("the manifest is not valid JSON");
  }
  if (!isObject(body)) throw new ManifestFormatError("the manifest is not a JSON object");
  if (body.schemaVersion !== 2) {
    throw new ManifestFormatError(
      `unsupported schemaVersion ${JSON.stringify(body.schemaVersion)} (need 2)`
    );
  }
  const header = baseMediaType(contentType);
  const declared = typeof body.mediaType === "string" ? body.mediaType : void 0;
  if (declared && isManifestMediaType(header) && declared !== header) {
    throw new ManifestFormatError(
      `the body says mediaType ${declared} but Content-Type is ${header}`
    );
  }
  let mediaType = declared ?? (isManifestMediaType(header) ? header : void 0);
  if (!mediaType) {
    if (Array.isArray(body.manifests)) mediaType = MEDIA_TYPE_OCI_INDEX;
    else if (isObject(body.config)) mediaType = MEDIA_TYPE_OCI_MANIFEST;
  }
  if (!mediaType || !isManifestMediaType(mediaType)) {
    throw new ManifestFormatError(
      `unsupported manifest media type ${mediaType ?? (header || "(none)")}`
    );
  }
  if (isIndexMediaType(mediaType)) {
    if (!Array.isArray(body.manifests))
      throw new ManifestFormatError(`${mediaType} without a manifests list`);
    body.manifests.forEach((d, i) => checkDescriptor(d, `manifests[${i}]`));
    return { kind: "index", mediaType, document: body };
  }
  checkDescriptor(body.config, "config");
  if (!Array.isArray(body.layers))
    throw new ManifestFormatError(`${mediaType} without a layers list`);
  return { kind: "image", mediaType, document: body };
}
function parseImageConfig(bytes) {
  let body;
  try {
    body = JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch {
    throw new ManifestFormatError("the image config is not valid JSON");
  }
  if (!isObject(body)) throw new ManifestFormatError("the image config is not a JSON object");
  const problem = platformFieldsProblem(body);
  if (problem) throw new ManifestFormatError(`the image config's ${problem}`);
  const config = {};
  if (typeof body.os === "string") config.os = body.os;
  if (typeof body.architecture === "string") config.architecture = body.architecture;
  if (typeof body.variant === "string") config.variant = body.variant;
  if (typeof body["os.version"] === "string") config["os.version"] = body["os.version"];
  if (Array.isArray(body["os.features"])) config["os.features"] = body["os.features"];
  return config;
}

// src/publish/resolve.ts
var ANNOTATION_REFERENCE_TYPE = "vnd.docker.reference.type";
var ANNOTATION_REFERENCE_DIGEST = "vnd.docker.reference.digest";
var ATTESTATION_MANIFEST = "attestation-manifest";
function label(planned) {
  const ref = formatReference(planned.reference);
  return planned.expected ? `${ref} (${planned.expected.text})` : ref;
}
function isAttestation(d) {
  return d.annotations?.[ANNOTATION_REFERENCE_TYPE] === ATTESTATION_MANIFEST || isUnknownPlatform(d.platform);
}
async function readConfigPlatform(repo, planned, configDigest) {
  let config;
  try {
    config = parseImageConfig(await repo.getBlob(configDigest));
  } catch (error) {
    if (error instanceof ManifestFormatError)
      return { problem: `${label(planned)}: its config ${configDigest}: ${error.message}` };
    throw error;
  }
  const platform = platformFromConfig(config);
  if (!platform)
    return { problem: `${label(planned)}: its config ${configDigest} has no os/architecture` };
  if (planned.expected) {
    const why = platformMismatch(planned.expected, platform);
    if (why) return { problem: `${label(planned)}: ${why}` };
  }
  return { platform };
}
function chooseFromIndex(planned, index) {
  const images = index.manifests.filter((d) => !isAttestation(d));
  const listing = images.map((d) => d.platform ? formatPlatform(d.platform) : d.digest).join(", ") || "nothing";
  if (!planned.expected) {
    if (images.length === 1) return images[0];
    return `${label(planned)}: is an index of ${images.length} platforms (${listing}); name one image per source`;
  }
  const want = normalizedPlatformKey(planned.expected);
  const matches = images.filter((d) => d.platform && normalizedPlatformKey(d.platform) === want);
  if (matches.length === 1) return matches[0];
  if (matches.length === 0)
    return `${label(planned)}: is an index without ${want} (it has ${listing})`;
  return `${label(planned)}: is an index with ${matches.length} entries for ${want}; cannot tell which is meant`;
}
async function readSource(ctx, planned) {
  const ref = planned.reference.digest ?? planned.reference.tag;
  const source = formatReference(planned.reference);
  const repo = ctx.repoFor(planned.reference);
  const top = await repo.getManifest(ref);
  if (!top) return { kind: "missing" };
  let image = top;
  let attestations = [];
  if (top.parsed.kind === "index") {
    const chosen = chooseFromIndex(planned, top.parsed.document);
    if (typeof chosen === "string") return { kind: "problem", problem: chosen };
    const child = await repo.getManifest(chosen.digest);
    if (!child)
      return {
        kind: "problem",
        problem: `${label(planned)}: its index entry ${chosen.digest} is not in the repository`
      };
    if (child.parsed.kind === "index") {
      return {
        kind: "problem",
        problem: `${label(planned)}: its entry ${chosen.digest} is itself an index; an index is never nested`
      };
    }
    image = child;
    attestations = top.parsed.document.manifests.filter(
      (d) => isAttestation(d) && d.annotations?.[ANNOTATION_REFERENCE_DIGEST] === child.digest
    ).map((d) => ({ ...d }));
    ctx.logger.debug(
      `${source}: index ${top.digest}, using ${child.digest} and ${attestations.length} attestation manifest(s)`
    );
  }
  if (image.parsed.kind !== "image") throw new Error("unreachable: an index was handled above");
  const checked = await readConfigPlatform(repo, planned, image.parsed.document.config.digest);
  if ("problem" in checked) return { kind: "problem", problem: checked.problem };
  return {
    kind: "ok",
    resolved: {
      planned,
      source,
      entry: {
        mediaType: image.mediaType,
        digest: image.digest,
        size: image.size,
        platform: checked.platform
      },
      attestations,
      origin: repo
    }
  };
}
async function resolveSources(ctx, sources, waitTimeoutMs) {
  const started = ctx.clock.now();
  const outcomes = await mapBounded(
    sources,
    ctx.concurrency ?? DEFAULT_CONCURRENCY,
    (s) => readSource(ctx, s)
  );
  const waitUntil = started + waitTimeoutMs;
  let interval = 1e3;
  let waited = false;
  const missing = () => outcomes.map((o, i) => o.kind === "missing" ? i : -1).filter((i) => i >= 0);
  while (missing().length > 0 && ctx.clock.now() < waitUntil) {
    const pending = missing();
    const left = waitUntil - ctx.clock.now();
    ctx.logger.info(
      `waiting for ${pending.length} per-arch image(s): ${pending.map((i) => formatReference(sources[i].reference)).join(", ")} (${formatSeconds(left)} of wait-timeout left)`
    );
    waited = true;
    await ctx.transport.wait(Math.min(interval, left), "waiting for per-arch images (wait-timeout)");
    interval = Math.min(interval * 2, 5e3);
    const again = await mapBounded(
      pending,
      ctx.concurrency ?? DEFAULT_CONCURRENCY,
      (i) => readSource(ctx, sources[i])
    );
    pending.forEach((index, k) => outcomes[index] = again[k]);
  }
  const problems = [];
  const absent = missing();
  for (const i of absent) {
    problems.push(
      `${label(sources[i])}: not found${waitTimeoutMs > 0 ? ` after waiting ${formatSeconds(waitTimeoutMs)}` : ""}`
    );
  }
  for (const o of outcomes) if (o.kind === "problem") problems.push(o.problem);
  if (problems.length > 0) {
    const code = absent.length > 0 ? "SOURCES_MISSING" : "PLATFORM_MISMATCH";
    const what = absent.length > 0 ? `${absent.length} of ${sources.length} per-arch image(s) missing` : "per-arch image(s) are not what their tags say";
    throw new PublishError(code, `${what}; nothing was written`, problems);
  }
  const resolved = outcomes.map((o) => o.resolved);
  const seen = /* @__PURE__ */ new Map();
  const duplicates = [];
  for (const r of resolved) {
    const key = fullPlatformKey(r.entry.platform);
    const earlier = seen.get(key);
    if (earlier)
      duplicates.push(`${r.source} and ${earlier} are both ${formatPlatform(r.entry.platform)}`);
    else seen.set(key, r.source);
  }
  if (duplicates.length > 0)
    throw new PublishError(
      "DUPLICATE_PLATFORM",
      "two sources have the same platform; nothing was written",
      duplicates
    );
  return { resolved, waited };
}

// src/oci/platform-select.ts
function osVersionCompatible(want, have) {
  if (!want || !have) return true;
  const a = want.split(".").slice(0, 3);
  const b = have.split(".").slice(0, 3);
  return a.length === b.length && a.every((part, i) => part === b[i]);
}
function matchingEntries(manifests, platform) {
  const want = normalizedPlatformKey(platform);
  return manifests.filter(
    (entry) => entry.platform !== void 0 && !isUnknownPlatform(entry.platform) && normalizedPlatformKey(entry.platform) === want && osVersionCompatible(platform["os.version"], entry.platform["os.version"])
  );
}
function selectEntry(manifests, platform) {
  return matchingEntries(manifests, platform)[0];
}

export {
  MEDIA_TYPE_OCI_INDEX,
  MEDIA_TYPE_DOCKER_LIST,
  MEDIA_TYPE_DOCKER_MANIFEST,
  MANIFEST_ACCEPT,
  isManifestMediaType,
  baseMediaType,
  ManifestFormatError,
  parseManifest,
  isAttestation,
  readSource,
  resolveSources,
  matchingEntries,
  selectEntry
};
