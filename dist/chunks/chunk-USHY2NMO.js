import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  InputError
} from "./chunk-IXG4YG5H.js";

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

// src/publish/input-text.ts
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
function durationInput(input, value) {
  const ms = parseDuration(value);
  if (ms === void 0)
    throw new InputError(input, `'${value}' is not a duration; use e.g. 0, 90s, 10m, 1h or 1m30s`);
  return ms;
}
function isGiven(raw, name) {
  const v = raw[name];
  return v !== void 0 && v.trim() !== "" && v.trim() !== inputSpec(name).default;
}

export {
  parseDuration,
  formatDuration,
  INPUTS,
  INPUT_NAMES,
  ACTION_ONLY_INPUT_NAMES,
  inputSpec,
  isExpression,
  defaultValue,
  splitList,
  splitLines,
  oneOf,
  durationInput,
  isGiven
};
