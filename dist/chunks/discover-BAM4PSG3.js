import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  renderTemplate
} from "./chunk-A6QXJAZB.js";
import {
  PlatformSyntaxError,
  WINDOWS_RELEASE_BUILDS,
  expectedPlatformKey,
  parsePlatform
} from "./chunk-C2UZFPC5.js";
import "./chunk-PY5VAGIZ.js";

// src/publish/discover.ts
var COSIGN_TAG = /^sha256-[a-f0-9]{64}(?:\.(?:sig|att|sbom))?$/;
var EXAMPLES = 5;
var TOKEN_PATTERNS = {
  os: "[a-z0-9]+",
  arch: "[a-z0-9_]+",
  variant: "v[0-9]+(?:\\.[0-9]+)?",
  release: Object.keys(WINDOWS_RELEASE_BUILDS).join("|"),
  osversion: "[0-9]+(?:\\.[0-9]+){1,3}"
};
function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
function tagPlatformReader(template, tag) {
  const names = [];
  const pattern = template.parts.map((part) => {
    if ("literal" in part) return escapeRegExp(part.literal);
    if (part.token === "tag") return part.dash ? `(?:-${escapeRegExp(tag)})` : escapeRegExp(tag);
    names.push(part.token);
    const inner = `(${TOKEN_PATTERNS[part.token]})`;
    return part.dash ? `(?:-${inner})?` : inner;
  }).join("");
  const regex = new RegExp(`^${pattern}$`);
  return (candidate) => {
    const match = regex.exec(candidate);
    if (!match) return void 0;
    const values = {};
    for (const [i, name] of names.entries()) {
      const value = match[i + 1];
      if (values[name] !== void 0 && value !== values[name]) return void 0;
      values[name] = value;
    }
    if (!values.os || !values.arch) return void 0;
    const version = values.release ?? values.osversion;
    let platform;
    try {
      platform = parsePlatform(
        `${values.os}${version ? `(${version})` : ""}/${values.arch}${values.variant ? `/${values.variant}` : ""}`
      );
    } catch (error) {
      if (error instanceof PlatformSyntaxError) return void 0;
      throw error;
    }
    return renderTemplate(template, tag, platform) === candidate ? platform : void 0;
  };
}
var OS_RANK = (os) => os === "linux" ? 0 : os === "windows" ? 2 : 1;
var ARCH_RANK = (arch) => arch === "amd64" ? 0 : arch === "arm64" ? 1 : 2;
function compareFound(a, b) {
  const pa = a.platform;
  const pb = b.platform;
  return OS_RANK(pa.os) - OS_RANK(pb.os) || pa.os.localeCompare(pb.os) || ARCH_RANK(pa.architecture) - ARCH_RANK(pb.architecture) || pa.architecture.localeCompare(pb.architecture) || (pa.variant ?? "").localeCompare(pb.variant ?? "") || (pa.osVersion ?? "").localeCompare(pb.osVersion ?? "", "en", { numeric: true }) || a.tag.localeCompare(b.tag);
}
var CLASSIFY_SLICE = 1e3;
function yieldToEventLoop() {
  return new Promise((resolve) => setImmediate(resolve));
}
async function classifyTags(tags, template, tag, indexTags, checkLive = () => void 0) {
  const read = tagPlatformReader(template, tag);
  const index = new Set(indexTags);
  const ignored = /* @__PURE__ */ new Map();
  const ignore = (why, candidate) => {
    let group = ignored.get(why);
    if (!group) {
      group = { why, count: 0, examples: [] };
      ignored.set(why, group);
    }
    group.count++;
    if (group.examples.length < EXAMPLES) group.examples.push(candidate);
  };
  const matched = [];
  for (const [i, candidate] of tags.entries()) {
    if (i > 0 && i % CLASSIFY_SLICE === 0) {
      await yieldToEventLoop();
      checkLive();
    }
    if (COSIGN_TAG.test(candidate)) ignore("a cosign signature, attestation or SBOM tag", candidate);
    else if (index.has(candidate)) ignore("a tag the index itself goes under", candidate);
    else {
      const platform = read(candidate);
      if (platform) matched.push({ tag: candidate, platform });
      else ignore(`not a per-platform tag of ${tag} under '${template.text}'`, candidate);
    }
  }
  matched.sort(compareFound);
  const seen = /* @__PURE__ */ new Map();
  const found = [];
  for (const m of matched) {
    const key = expectedPlatformKey(m.platform);
    const earlier = seen.get(key);
    if (earlier) ignore(`the same platform as ${earlier}`, m.tag);
    else {
      seen.set(key, m.tag);
      found.push({ tag: m.tag, platform: m.platform.text });
    }
  }
  return { found, ignored: [...ignored.values()] };
}
async function discoverSources(repo, template, tag, indexTags, pageSize) {
  const listing = await repo.listTags(pageSize === void 0 ? {} : { pageSize });
  const context = { operation: "platforms: auto", target: `${repo.registry}/${repo.repository}` };
  const classified = await classifyTags(
    listing.tags,
    template,
    tag,
    indexTags,
    () => repo.transport.checkLive(context)
  );
  const sources = classified.found.map((f) => ({
    expected: parsePlatform(f.platform),
    reference: { registry: repo.registry, repository: repo.repository, tag: f.tag }
  }));
  const discovery = { ...classified, truncated: listing.truncated };
  if (listing.truncated) {
    discovery.truncatedWhy = `the tag listing was cut short (${listing.truncatedWhy ?? `it stopped at its page limit of ${listing.pages} pages`}); more tags may exist`;
  }
  if (listing.invalid) discovery.invalidTags = listing.invalid;
  return { sources, discovery };
}
export {
  classifyTags,
  discoverSources
};
