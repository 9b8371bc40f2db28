import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  TemplateSyntaxError,
  parseTemplate,
  renderTemplate
} from "./chunk-A6QXJAZB.js";
import {
  InputError
} from "./chunk-IXG4YG5H.js";
import {
  ReferenceSyntaxError,
  formatReference,
  isValidTag,
  parseReference,
  parseRepository,
  repositoryName
} from "./chunk-HJGTKYEE.js";
import {
  PlatformSyntaxError,
  expectedPlatformKey,
  parsePlatform
} from "./chunk-C2UZFPC5.js";

// src/publish/input-contract.ts
var INPUTS = {
  images: {
    description: "Target repositories, one per line (e.g. ghcr.io/microsoft/retina/retina-agent). A line may carry its own platform list after whitespace and '=': 'ghcr.io/o/operator = linux/amd64'.",
    required: true,
    kind: "lines"
  },
  tag: {
    description: "The release tag that names the index. Defaults to the workflow's ref name (GITHUB_REF_NAME).",
    kind: "single"
  },
  platforms: {
    description: "Expected platforms, in index order, separated by commas or newlines: linux/amd64, linux/arm64, linux/arm/v7, windows(10.0.20348)/amd64 or windows(ltsc2022)/amd64; or auto, to discover them from the repository's tags through `source-template` (for repairing a past release). Defaults to linux/amd64,linux/arm64 (not with `sources`).",
    fallback: "linux/amd64,linux/arm64",
    kind: "items"
  },
  "source-template": {
    description: "How a per-platform tag is named. Tokens {tag} {os} {arch} {variant} {release} {osversion}; {-x} renders -x only when x is not empty. Not used with `sources`.",
    default: "{tag}-{os}{-release}-{arch}{-variant}",
    kind: "single"
  },
  sources: {
    description: "Instead of `platforms` and `source-template`: explicit source references by tag or digest (repo:tag, repo@sha256:...), in index order, separated by commas or newlines. Each platform is read from the image; a digest that is an index (buildx with attestations) gives its image and keeps its attestations. Sources in another repository or registry are copied into the target first.",
    kind: "items"
  },
  tags: {
    description: "More tags that must point at the same index (latest, 0.0), separated by commas or newlines: bare tags, or full references such as docker/metadata-action's tags output. Full references to a repository that is not in `images` are set aside with a notice (a metadata setup for several registries), unless none of them names an image.",
    kind: "items"
  },
  "media-type": {
    description: "auto (a Docker manifest list when every child is a Docker v2 manifest, else an OCI index), oci, or docker.",
    default: "auto",
    kind: "single"
  },
  annotations: {
    description: "Index annotations, key=value per line (OCI index only; an error with a Docker list). docker/metadata-action's annotations output is accepted: index: keys are used without the prefix, keys for other levels (manifest:) are set aside with a notice.",
    kind: "lines"
  },
  mode: {
    description: "publish; verify (read-only: does the tag resolve to a complete, correct index?); or dry-run (every read, no write; prints the index it would push).",
    default: "publish",
    kind: "single"
  },
  "on-existing": {
    description: "When the release tag already holds a different index: update (replace it, report the old digest and the platform diff) or keep (fail, change nothing). keep protects the release tag only: the `tags` move as `floating-tags` says.",
    default: "update",
    kind: "single"
  },
  "floating-tags": {
    description: "When the `tags` (latest, 1.2) move: together (only once every image of the step is complete and its release tag written; otherwise they stay where they were, the release tags of the complete images are still written, and the step fails saying which tags were held back) or each (per image, as soon as that image is done).",
    default: "together",
    kind: "single"
  },
  "wait-timeout": {
    description: "How long to wait for missing per-arch images before failing (0, 90s, 10m).",
    default: "0",
    kind: "single"
  },
  timeout: {
    description: "Bound on the whole step, retries included.",
    default: "10m",
    kind: "single"
  },
  username: {
    description: "Registry user name for the target registry.",
    kind: "single"
  },
  password: {
    description: "Registry password or token for the target registry.",
    kind: "single",
    secret: true
  },
  "github-token": {
    description: "Token used for ghcr.io when nothing else is configured.",
    default: "${{ github.token }}",
    kind: "single",
    secret: true
  },
  "insecure-registries": {
    description: "Hosts that may be reached over plain HTTP (loopback is always allowed), separated by commas or newlines.",
    kind: "items"
  },
  releases: {
    description: "Instead of `tag`: check the newest N published GitHub releases of this repository (1 to 100; drafts skipped), each release tag with every image, concurrently. Works in every mode (publish with platforms auto repairs each broken one). Needs contents: read for `github-token`. Not with `tag`, `tags` or `sources`.",
    kind: "single",
    actionOnly: true
  },
  "include-prereleases": {
    description: "With `releases`, whether prereleases count among the newest N (true or false).",
    default: "true",
    kind: "single",
    actionOnly: true
  },
  "report-issue": {
    description: "true: keep one issue up to date with what is broken (opened or updated when anything fails, with the repair command; commented and closed when a later run finds everything complete). Needs issues: write for `github-token`. Off by default.",
    default: "false",
    kind: "single",
    actionOnly: true
  },
  "report-label": {
    description: "The label that marks the report issue; at most one issue with it is kept open.",
    default: "multiarch-index",
    kind: "single",
    actionOnly: true
  },
  "repair-workflow": {
    description: "The workflow_dispatch file the report's repair command runs (inputs version and images, as in examples/repair.yml).",
    default: "repair.yml",
    kind: "single",
    actionOnly: true
  }
};
var ACTION_INPUT_NAMES = Object.keys(INPUTS);
var INPUT_NAMES = ACTION_INPUT_NAMES.filter(
  (name) => !INPUTS[name].actionOnly
);
var ACTION_ONLY_INPUT_NAMES = ACTION_INPUT_NAMES.filter(
  (name) => INPUTS[name].actionOnly
);
function inputSpec(name) {
  return INPUTS[name];
}
function isExpression(text) {
  return text.includes("${{");
}
function defaultValue(name) {
  const spec = inputSpec(name);
  if (spec.default !== void 0 && !isExpression(spec.default)) return spec.default;
  return spec.fallback;
}

// src/oci/platform-aliases.ts
var ARCHITECTURE_ALIASES = {
  x86_64: "amd64",
  "x86-64": "amd64",
  x64: "amd64",
  aarch64: "arm64",
  armv8: "arm64",
  armhf: "arm/v7",
  armv7: "arm/v7",
  armv7l: "arm/v7",
  armel: "arm/v6",
  armv6: "arm/v6",
  armv6l: "arm/v6",
  i386: "386",
  i686: "386",
  x86: "386",
  ppc64el: "ppc64le"
};
function ociArchitecture(architecture, variant) {
  const oci = ARCHITECTURE_ALIASES[architecture.toLowerCase()];
  if (oci === void 0) return void 0;
  return oci.includes("/") || variant === void 0 ? oci : `${oci}/${variant}`;
}

// src/publish/duration.ts
var UNIT_MS = { ms: 1, s: 1e3, m: 6e4, h: 36e5 };
function parseDuration(text) {
  const trimmed = text.trim().toLowerCase();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1e3;
  if (!/^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/.test(trimmed)) return void 0;
  let total = 0;
  for (const [, amount, unit] of trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) {
    total += Number(amount) * UNIT_MS[unit];
  }
  return Math.round(total);
}
function formatDuration(ms) {
  if (ms === 0) return "0s";
  if (ms < 1e3) return `${ms}ms`;
  const h = Math.floor(ms / 36e5);
  const m = Math.floor(ms % 36e5 / 6e4);
  const s = Number((ms % 6e4 / 1e3).toFixed(3));
  return `${h ? `${h}h` : ""}${m ? `${m}m` : ""}${s ? `${s}s` : ""}` || `${ms}ms`;
}

// src/publish/parse-options.ts
function splitList(text) {
  return (text ?? "").split(/\r?\n/).filter((line) => !line.trim().startsWith("#")).flatMap((line) => line.split(",")).map((item) => item.trim()).filter((item) => item.length > 0);
}
function splitLines(text) {
  return (text ?? "").split(/\r?\n/).map((line) => line.trim()).filter((line) => line.length > 0 && !line.startsWith("#"));
}
function oneOf(input, value, allowed) {
  const v = value.trim().toLowerCase();
  if (allowed.includes(v)) return v;
  throw new InputError(input, `'${value}' is not one of ${allowed.join(", ")}`);
}
function duration(input, value) {
  const ms = parseDuration(value);
  if (ms === void 0)
    throw new InputError(input, `'${value}' is not a duration; use e.g. 0, 90s, 10m, 1h or 1m30s`);
  return ms;
}
var AUTO_PLATFORMS = "auto";
function platformListOrAuto(input, items, where = "") {
  if (items.length === 1 && items[0].toLowerCase() === AUTO_PLATFORMS) return AUTO_PLATFORMS;
  if (items.some((i) => i.toLowerCase() === AUTO_PLATFORMS)) {
    throw new InputError(
      input,
      `${where}'auto' stands alone: it discovers every platform from the tags`
    );
  }
  return platformList(input, items, where);
}
function platformList(input, items, where = "") {
  const platforms = [];
  const seen = /* @__PURE__ */ new Map();
  for (const item of items) {
    let platform;
    try {
      platform = parsePlatform(item);
    } catch (error) {
      if (error instanceof PlatformSyntaxError)
        throw new InputError(input, `${where}${error.message}`);
      throw error;
    }
    const oci = ociArchitecture(platform.architecture, platform.variant);
    if (oci !== void 0) {
      const prefix = item.slice(0, item.indexOf("/", item.indexOf(")") + 1));
      throw new InputError(
        input,
        `${where}'${item}': '${platform.architecture}' is not an OCI architecture name; did you mean ${prefix}/${oci}?`
      );
    }
    const key = expectedPlatformKey(platform);
    const earlier = seen.get(key);
    if (earlier !== void 0) {
      throw new InputError(
        input,
        `${where}'${item}' and '${earlier}' are the same platform; each platform may appear once`
      );
    }
    seen.set(key, item);
    platforms.push(platform);
  }
  return platforms;
}
function reference(input, text, parse = parseReference) {
  try {
    return parse(text);
  } catch (error) {
    if (error instanceof ReferenceSyntaxError) throw new InputError(input, error.message);
    throw error;
  }
}
function parseImages(raw) {
  const lines = splitLines(raw);
  if (lines.length === 0) {
    throw new InputError(
      "images",
      "is empty; give at least one target repository, e.g. ghcr.io/owner/app"
    );
  }
  const seen = /* @__PURE__ */ new Set();
  return lines.map((line) => {
    const eq = line.indexOf("=");
    const repoText = (eq >= 0 ? line.slice(0, eq) : line).trim();
    if (/^http:\/\//i.test(repoText)) {
      throw new InputError(
        "images",
        `'${repoText}': write the repository without http://; plain HTTP is used for loopback and for hosts listed in insecure-registries`
      );
    }
    const image = reference("images", repoText, parseRepository);
    const name = repositoryName(image);
    if (seen.has(name))
      throw new InputError("images", `${name} is listed twice; list each repository once`);
    seen.add(name);
    if (eq < 0) return { image };
    const items = splitList(line.slice(eq + 1));
    if (items.length === 0) {
      throw new InputError(
        "images",
        `'${line}': no platforms after '='; give them (e.g. ${repoText} = linux/amd64) or drop the '='`
      );
    }
    return { image, platforms: platformListOrAuto("images", items, `${name}: `) };
  });
}
var INDEX_LEVEL = "index:";
var OTHER_LEVEL = /^(?:manifest|manifest-descriptor|index-descriptor)(?:\[[^\]]*\])?:/;
function parseAnnotations(raw, notices) {
  const out = {};
  const skipped = [];
  for (const line of splitLines(raw)) {
    const eq = line.indexOf("=");
    let key = eq >= 0 ? line.slice(0, eq).trim() : "";
    if (eq < 0 || !key) throw new InputError("annotations", `'${line}' is not key=value`);
    const level = OTHER_LEVEL.exec(key);
    if (level) {
      skipped.push(key);
      continue;
    }
    if (key.startsWith(INDEX_LEVEL)) key = key.slice(INDEX_LEVEL.length);
    if (!key) throw new InputError("annotations", `'${line}' has no key after '${INDEX_LEVEL}'`);
    if (/\s/.test(key)) throw new InputError("annotations", `key '${key}' contains whitespace`);
    if (key in out) throw new InputError("annotations", `key '${key}' is given twice`);
    out[key] = line.slice(eq + 1).trim();
  }
  if (skipped.length > 0) {
    notices.push({
      input: "annotations",
      message: `${skipped.length} annotation(s) for another level than the index were set aside (${skipped.join(", ")}); this step writes an index, so plain and index: keys apply`
    });
  }
  return out;
}
var TAG_RULE = "up to 128 of A-Z a-z 0-9 _ . -, not starting with . or -";
function parseTag(raw, env) {
  const given = raw?.trim();
  const tag = given || env.GITHUB_REF_NAME?.trim() || "";
  const from = given ? "" : " (taken from GITHUB_REF_NAME)";
  if (!tag)
    throw new InputError(
      "tag",
      "is empty and GITHUB_REF_NAME is not set; give the release tag, e.g. v1.2.3"
    );
  if (!isValidTag(tag)) {
    throw new InputError("tag", `'${tag}'${from} is not a valid tag: ${TAG_RULE}`);
  }
  return tag;
}
var INSECURE_HOST = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::(\d{1,5}))?$/;
function parseInsecure(raw) {
  return splitList(raw).map((host) => {
    const h = host.replace(/^https?:\/\//i, "").replace(/\/+$/, "").toLowerCase();
    const match = INSECURE_HOST.exec(h);
    if (!match || match[1] !== void 0 && (Number(match[1]) < 1 || Number(match[1]) > 65535)) {
      throw new InputError(
        "insecure-registries",
        `'${host}' is not a host or host:port (e.g. registry.local:5000 or 10.0.0.5)`
      );
    }
    return h;
  });
}
function isGiven(raw, name) {
  const v = raw[name];
  return v !== void 0 && v.trim() !== "" && v.trim() !== inputSpec(name).default;
}
function parseOptions(raw, env = {}) {
  const value = (name) => {
    const v = raw[name];
    return v === void 0 || v.trim() === "" ? void 0 : v;
  };
  const given = (name) => isGiven(raw, name);
  const orDefault = (name) => value(name) ?? defaultValue(name) ?? "";
  const notices = [];
  const mode = oneOf("mode", orDefault("mode"), ["publish", "verify", "dry-run"]);
  const mediaType = oneOf("media-type", orDefault("media-type"), [
    "auto",
    "oci",
    "docker"
  ]);
  const onExisting = oneOf("on-existing", orDefault("on-existing"), ["update", "keep"]);
  const floatingTags = oneOf("floating-tags", orDefault("floating-tags"), [
    "together",
    "each"
  ]);
  const waitTimeoutMs = duration("wait-timeout", orDefault("wait-timeout"));
  const timeoutMs = duration("timeout", orDefault("timeout"));
  if (timeoutMs <= 0)
    throw new InputError(
      "timeout",
      `'${value("timeout")}' is not more than 0; give a bound such as 90s or 10m`
    );
  if (waitTimeoutMs >= timeoutMs) {
    throw new InputError(
      "wait-timeout",
      `${formatDuration(waitTimeoutMs)} is not shorter than timeout (${formatDuration(timeoutMs)}); the wait would be cut off by the step's timeout`
    );
  }
  const annotations = parseAnnotations(value("annotations"), notices);
  if (mediaType === "docker" && Object.keys(annotations).length > 0) {
    throw new InputError(
      "annotations",
      "a Docker manifest list cannot carry annotations; remove them or use media-type: oci"
    );
  }
  const username = value("username")?.trim();
  const password = value("password");
  if (username && !password)
    throw new InputError(
      "password",
      `is empty but username '${username}' is set; give both or neither`
    );
  if (password && !username)
    throw new InputError("username", "is empty but password is set; give both or neither");
  const insecureRegistries = parseInsecure(value("insecure-registries"));
  const tag = parseTag(value("tag"), env);
  let sourceTemplate;
  try {
    sourceTemplate = parseTemplate(orDefault("source-template"));
  } catch (error) {
    if (error instanceof TemplateSyntaxError) throw new InputError("source-template", error.message);
    throw error;
  }
  const images = parseImages(value("images"));
  const sourcesText = splitList(value("sources"));
  if (sourcesText.length > 0 && given("platforms")) {
    throw new InputError(
      "sources",
      "cannot be combined with platforms: with sources the platforms come from the images themselves"
    );
  }
  if (sourcesText.length > 0 && given("source-template")) {
    throw new InputError(
      "sources",
      "cannot be combined with source-template: the sources are named explicitly"
    );
  }
  if (sourcesText.length > 0 && images.some((i) => i.platforms)) {
    throw new InputError("images", "per-image platform lists cannot be combined with sources");
  }
  const defaultPlatforms = platformListOrAuto("platforms", splitList(orDefault("platforms")));
  if (defaultPlatforms !== "auto" && defaultPlatforms.length === 0)
    throw new InputError("platforms", "is empty; give at least one platform, e.g. linux/amd64");
  const otherRepositories = /* @__PURE__ */ new Set();
  const extraTags = splitList(value("tags")).flatMap((text) => {
    if (!text.includes("/") && !text.includes("@")) {
      if (!isValidTag(text)) {
        throw new InputError(
          "tags",
          `'${text}' is not a valid tag: ${TAG_RULE}; or give a full reference such as ghcr.io/owner/app:latest`
        );
      }
      return [{ text, tag: text, image: void 0 }];
    }
    const ref = reference("tags", text);
    if (ref.digest || ref.tag === void 0)
      throw new InputError("tags", `'${text}' must be a tag, not a digest or a bare repository`);
    const name = repositoryName(ref);
    if (!images.some((i) => repositoryName(i.image) === name)) {
      otherRepositories.add(name);
      return [];
    }
    return [{ text, tag: ref.tag, image: name }];
  });
  if (otherRepositories.size > 0) {
    const names = [...otherRepositories].join(", ");
    if (!extraTags.some((t) => t.image !== void 0)) {
      throw new InputError(
        "tags",
        `every full-reference tag is in ${names}, which is not one of the images (${images.map((i) => repositoryName(i.image)).join(", ")}); a full-reference tag must name one of the images`
      );
    }
    notices.push({
      input: "tags",
      message: `the tags for ${names} were set aside: it is not one of the images (to push them there too, add it to the images)`
    });
  }
  const sourceRefs = sourcesText.map((text) => {
    const ref = reference("sources", text);
    if (!ref.tag && !ref.digest) {
      throw new InputError(
        "sources",
        `'${text}' has neither tag nor digest; give repo:tag or repo@sha256:<64 hex>`
      );
    }
    const name = repositoryName(ref);
    if (images.length > 1 && !images.some((i) => repositoryName(i.image) === name)) {
      throw new InputError(
        "sources",
        `'${text}' is in ${name}, which is not one of the images; with several images each source must be in its image's repository (give one image per step for sources elsewhere)`
      );
    }
    return ref;
  });
  const seenSources = /* @__PURE__ */ new Set();
  for (const ref of sourceRefs) {
    const key = formatReference(ref);
    if (seenSources.has(key))
      throw new InputError("sources", `${key} is listed twice; list each source once`);
    seenSources.add(key);
  }
  const plans = images.map(({ image, platforms }) => {
    const name = repositoryName(image);
    const tags = [tag];
    for (const extra of extraTags) {
      if ((extra.image === void 0 || extra.image === name) && !tags.includes(extra.tag))
        tags.push(extra.tag);
    }
    let sources = [];
    const wanted = platforms ?? defaultPlatforms;
    if (sourceRefs.length > 0) {
      sources = sourceRefs.filter((ref) => images.length === 1 || repositoryName(ref) === name).map((reference2) => ({ reference: reference2 }));
      if (sources.length === 0) throw new InputError("sources", `none of the sources is in ${name}`);
    } else if (wanted === "auto") {
      checkDiscoverable(sourceTemplate);
    } else {
      sources = renderSources(image, tag, wanted, sourceTemplate);
    }
    for (const source of sources) {
      const sameRepository = repositoryName(source.reference) === name;
      if (sameRepository && source.reference.tag !== void 0 && tags.includes(source.reference.tag)) {
        throw new InputError(
          source.expected ? "source-template" : "sources",
          `the source ${formatReference(source.reference)} is also a tag the index would be pushed to (${tags.join(", ")}); a source must have a tag of its own, or the index would overwrite it`
        );
      }
    }
    return wanted === "auto" && sourceRefs.length === 0 ? { image, tags, sources, discover: true } : { image, tags, sources };
  });
  return {
    plans,
    tag,
    mediaType,
    annotations,
    mode,
    onExisting,
    floatingTags,
    waitTimeoutMs,
    timeoutMs,
    username,
    password,
    githubToken: value("github-token")?.trim(),
    insecureRegistries,
    sourceTemplate,
    notices
  };
}
function renderSources(image, tag, platforms, template) {
  const byTag = /* @__PURE__ */ new Map();
  return platforms.map((expected) => {
    const sourceTag = renderTemplate(template, tag, expected);
    if (sourceTag.includes("/")) {
      const reference2 = renderedReference(template, sourceTag, expected);
      const key = formatReference(reference2);
      const earlier2 = byTag.get(key);
      if (earlier2) {
        throw new InputError(
          "source-template",
          `'${template.text}' renders the same source '${key}' for ${earlier2} and ${expected.text}; add a token that tells them apart`
        );
      }
      byTag.set(key, expected.text);
      return { expected, reference: reference2 };
    }
    if (!isValidTag(sourceTag)) {
      throw new InputError(
        "source-template",
        `'${template.text}' renders '${sourceTag}' for ${expected.text}, which is not a valid tag`
      );
    }
    const earlier = byTag.get(sourceTag);
    if (earlier) {
      throw new InputError(
        "source-template",
        `'${template.text}' renders the same tag '${sourceTag}' for ${earlier} and ${expected.text}; add a token that tells them apart (e.g. {-release} or {-variant})`
      );
    }
    byTag.set(sourceTag, expected.text);
    return {
      expected,
      reference: { registry: image.registry, repository: image.repository, tag: sourceTag }
    };
  });
}
function renderedReference(template, text, expected) {
  let reference2;
  try {
    reference2 = parseReference(text);
  } catch (error) {
    if (error instanceof ReferenceSyntaxError) {
      throw new InputError(
        "source-template",
        `'${template.text}' renders '${text}' for ${expected.text}: ${error.message}`
      );
    }
    throw error;
  }
  if (reference2.tag === void 0 && reference2.digest === void 0) {
    throw new InputError(
      "source-template",
      `'${template.text}' renders '${text}' for ${expected.text}, which is neither a valid tag nor a full reference with a tag (registry/repository:tag)`
    );
  }
  return reference2;
}
function checkDiscoverable(template) {
  const tokens = new Set(template.parts.flatMap((p) => "token" in p ? [p.token] : []));
  if (template.parts.some((p) => "literal" in p && p.literal.includes("/"))) {
    throw new InputError(
      "platforms",
      `'auto' discovers tags of the image's own repository; the source-template '${template.text}' names another repository`
    );
  }
  for (const needed of ["tag", "os", "arch"]) {
    if (!tokens.has(needed)) {
      throw new InputError(
        "platforms",
        `'auto' needs a source-template with {${needed}} to read platforms from tags; '${template.text}' has none`
      );
    }
  }
}

export {
  INPUTS,
  INPUT_NAMES,
  ACTION_ONLY_INPUT_NAMES,
  inputSpec,
  isExpression,
  parseDuration,
  splitLines,
  isGiven,
  parseOptions
};
