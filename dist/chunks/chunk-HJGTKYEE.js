import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  isTagName
} from "./chunk-CM7TTNES.js";
import {
  isDigest
} from "./chunk-WGTGFSMG.js";

// src/registry/base/reference.ts
var DOCKER_HUB = "docker.io";
var DOCKER_HUB_API = "registry-1.docker.io";
var REPOSITORY = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$/;
var HOST = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:.]+\])(?::\d{1,5})?$/;
var ReferenceSyntaxError = class extends Error {
  name = "ReferenceSyntaxError";
};
function splitHost(text) {
  const slash = text.indexOf("/");
  if (slash < 0) return [void 0, text];
  const first = text.slice(0, slash);
  if (first.includes(".") || first.includes(":") || first === "localhost" || first.startsWith("[")) {
    return [first, text.slice(slash + 1)];
  }
  return [void 0, text];
}
function parseReference(text) {
  const input = text.trim();
  if (!input) throw new ReferenceSyntaxError("the reference is empty");
  if (/\s/.test(input)) throw new ReferenceSyntaxError(`'${text}' contains whitespace`);
  if (/^[a-z]+:\/\//i.test(input)) {
    throw new ReferenceSyntaxError(
      `'${text}' has a URL scheme; write host/repository without http:// or https://`
    );
  }
  let rest = input;
  let digest;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!isDigest(digest))
      throw new ReferenceSyntaxError(
        `'${text}': '${digest}' is not a valid digest (sha256:<64 hex>)`
      );
  }
  const [hostPart, pathAndTag] = splitHost(rest);
  let path = pathAndTag;
  let tag;
  const colon = path.lastIndexOf(":");
  if (colon >= 0) {
    tag = path.slice(colon + 1);
    path = path.slice(0, colon);
    if (!isTagName(tag))
      throw new ReferenceSyntaxError(
        `'${text}': '${tag}' is not a valid tag ([A-Za-z0-9_][A-Za-z0-9._-]{0,127})`
      );
  }
  if (hostPart !== void 0 && !HOST.test(hostPart)) {
    throw new ReferenceSyntaxError(`'${text}': '${hostPart}' is not a valid registry host`);
  }
  let registry = hostPart?.toLowerCase() ?? DOCKER_HUB;
  if (registry === "index.docker.io" || registry === DOCKER_HUB_API) registry = DOCKER_HUB;
  if (registry === DOCKER_HUB && !path.includes("/")) path = `library/${path}`;
  if (!REPOSITORY.test(path)) {
    throw new ReferenceSyntaxError(
      `'${text}': '${path}' is not a valid repository (lowercase letters, digits and . _ - separators, components joined by /)`
    );
  }
  if (`${registry}/${path}`.length > 255)
    throw new ReferenceSyntaxError(`'${text}' is longer than 255 characters`);
  const ref = { registry, repository: path };
  if (tag !== void 0) ref.tag = tag;
  if (digest !== void 0) ref.digest = digest;
  return ref;
}
function parseRepository(text) {
  const ref = parseReference(text);
  if (ref.tag !== void 0 || ref.digest !== void 0) {
    throw new ReferenceSyntaxError(
      `'${text.trim()}' names a ${ref.digest ? "digest" : "tag"}; give the repository only (the tag comes from the tag input)`
    );
  }
  return ref;
}
function isValidTag(tag) {
  return isTagName(tag);
}
function repositoryName(ref) {
  return `${ref.registry}/${ref.repository}`;
}
function formatReference(ref) {
  return `${repositoryName(ref)}${ref.tag !== void 0 ? `:${ref.tag}` : ""}${ref.digest ? `@${ref.digest}` : ""}`;
}
function registryApiHost(registry) {
  return registry === DOCKER_HUB ? DOCKER_HUB_API : registry;
}
function hostnameOf(registry) {
  if (registry.startsWith("[")) return registry.slice(1, registry.indexOf("]"));
  const colon = registry.lastIndexOf(":");
  return colon >= 0 ? registry.slice(0, colon) : registry;
}
function isLoopbackHost(registry) {
  const host = hostnameOf(registry).toLowerCase();
  return host === "localhost" || host === "::1" || /^127(?:\.\d{1,3}){3}$/.test(host);
}

export {
  DOCKER_HUB,
  ReferenceSyntaxError,
  parseReference,
  parseRepository,
  isValidTag,
  repositoryName,
  formatReference,
  registryApiHost,
  isLoopbackHost
};
