import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);

// src/oci/platform.ts
var WINDOWS_RELEASE_BUILDS = {
  ltsc2019: "17763",
  ltsc2022: "20348",
  ltsc2025: "26100"
};
var PlatformSyntaxError = class extends Error {
  name = "PlatformSyntaxError";
};
var COMPONENT = /^[a-z0-9_.-]+$/;
var OS_VERSION = /^\d+(?:\.\d+){1,3}$/;
function parsePlatform(text) {
  const trimmed = text.trim();
  const match = /^([^/()]+)(?:\(([^()]*)\))?\/([^/()]+)(?:\/([^/()]+))?$/.exec(trimmed);
  if (!match) {
    throw new PlatformSyntaxError(
      `'${text}' is not a platform; expected os/arch[/variant] or os(version)/arch, e.g. linux/arm64, linux/arm/v7, windows(ltsc2022)/amd64`
    );
  }
  const os = match[1].toLowerCase();
  const architecture = match[3].toLowerCase();
  const variant = match[4]?.toLowerCase();
  for (const [what, value] of [
    ["os", os],
    ["architecture", architecture],
    ["variant", variant]
  ]) {
    if (value !== void 0 && !COMPONENT.test(value)) {
      throw new PlatformSyntaxError(
        `'${text}': ${what} '${value}' has characters other than a-z 0-9 _ . -`
      );
    }
  }
  const platform = { text: trimmed, os, architecture };
  if (variant) platform.variant = variant;
  const version = match[2]?.trim().toLowerCase();
  if (match[2] !== void 0) {
    if (!version) throw new PlatformSyntaxError(`'${text}': empty os version in parentheses`);
    if (os !== "windows") {
      throw new PlatformSyntaxError(
        `'${text}': an os version in parentheses is only meaningful for windows`
      );
    }
    const build = WINDOWS_RELEASE_BUILDS[version];
    if (build) {
      platform.release = version;
      platform.osVersion = `10.0.${build}`;
    } else if (OS_VERSION.test(version)) {
      platform.osVersion = version;
      const release = windowsReleaseForVersion(version);
      if (release) platform.release = release;
    } else {
      throw new PlatformSyntaxError(
        `'${text}': '${version}' is neither a Windows release (${Object.keys(WINDOWS_RELEASE_BUILDS).join(", ")}) nor an os.version like 10.0.20348`
      );
    }
  }
  return platform;
}
function windowsReleaseForVersion(osVersion) {
  const build = osVersion.split(".")[2];
  return Object.keys(WINDOWS_RELEASE_BUILDS).find((name) => WINDOWS_RELEASE_BUILDS[name] === build);
}
function normalizeArchVariant(architecture, variant) {
  let arch = architecture.toLowerCase();
  let v = (variant ?? "").toLowerCase();
  switch (arch) {
    case "i386":
      arch = "386";
      v = "";
      break;
    case "x86_64":
    case "x86-64":
    case "amd64":
      arch = "amd64";
      if (v === "v1") v = "";
      break;
    case "aarch64":
    case "arm64":
      arch = "arm64";
      if (v === "8" || v === "v8" || v === "v8.0") v = "";
      break;
    case "armhf":
      arch = "arm";
      v = "v7";
      break;
    case "armel":
      arch = "arm";
      v = "v6";
      break;
    case "arm":
      if (v === "") v = "v7";
      else if (/^\d+$/.test(v)) v = `v${v}`;
      break;
  }
  return [arch, v];
}
function normalizedPlatformKey(p) {
  const os = p.os.toLowerCase() === "macos" ? "darwin" : p.os.toLowerCase();
  const [arch, variant] = normalizeArchVariant(p.architecture, p.variant);
  return variant ? `${os}/${arch}/${variant}` : `${os}/${arch}`;
}
function fullPlatformKey(p) {
  const base = normalizedPlatformKey(p);
  return p["os.version"] ? `${base}@${p["os.version"]}` : base;
}
function expectedPlatformKey(p) {
  const base = normalizedPlatformKey(p);
  return p.osVersion ? `${base}@${p.osVersion}` : base;
}
function platformMismatch(expected, actual) {
  const want = normalizedPlatformKey(expected);
  const got = normalizedPlatformKey(actual);
  if (want !== got) return `expected ${want}, the image config says ${formatPlatform(actual)}`;
  if (expected.osVersion) {
    const actualVersion = actual["os.version"];
    if (!actualVersion) {
      return `expected os.version ${expected.osVersion}${expected.release ? ` (${expected.release})` : ""}, the image config has no os.version`;
    }
    const wantParts = expected.osVersion.split(".");
    const gotParts = actualVersion.split(".");
    if (wantParts.some((part, i) => gotParts[i] !== part)) {
      const gotRelease = windowsReleaseForVersion(actualVersion);
      return `expected os.version ${expected.osVersion}${expected.release ? ` (${expected.release})` : ""}, the image config says ${actualVersion}${gotRelease ? ` (${gotRelease})` : ""}`;
    }
  }
  return void 0;
}
function formatPlatform(p) {
  const os = p["os.version"] ? `${p.os}(${p["os.version"]})` : p.os;
  return p.variant ? `${os}/${p.architecture}/${p.variant}` : `${os}/${p.architecture}`;
}
function platformFromConfig(config) {
  if (!config.os || !config.architecture) return void 0;
  const platform = { architecture: config.architecture, os: config.os };
  if (config["os.version"]) platform["os.version"] = config["os.version"];
  if (config["os.features"] && config["os.features"].length > 0) {
    platform["os.features"] = [...config["os.features"]];
  }
  if (config.variant) platform.variant = config.variant;
  return platform;
}
function isUnknownPlatform(p) {
  return p?.os === "unknown" && p.architecture === "unknown";
}

export {
  WINDOWS_RELEASE_BUILDS,
  PlatformSyntaxError,
  parsePlatform,
  normalizedPlatformKey,
  fullPlatformKey,
  expectedPlatformKey,
  platformMismatch,
  formatPlatform,
  platformFromConfig,
  isUnknownPlatform
};
