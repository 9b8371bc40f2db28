import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __require = /* @__PURE__ */ ((x) => typeof require !== "undefined" ? require : typeof Proxy !== "undefined" ? new Proxy(x, {
  get: (a, b) => (typeof require !== "undefined" ? require : a)[b]
}) : x)(function(x) {
  if (typeof require !== "undefined") return require.apply(this, arguments);
  throw Error('Dynamic require of "' + x + '" is not supported');
});
var __commonJS = (cb, mod) => function __require2() {
  try {
    return mod || (0, cb[__getOwnPropNames(cb)[0]])((mod = { exports: {} }).exports, mod), mod.exports;
  } catch (e) {
    throw mod = 0, e;
  }
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
  mod
));

// node_modules/tunnel/lib/tunnel.js
var require_tunnel = __commonJS({
  "node_modules/tunnel/lib/tunnel.js"(exports) {
    "use strict";
    var net = __require("net");
    var tls = __require("tls");
    var http = __require("http");
    var https = __require("https");
    var events = __require("events");
    var assert = __require("assert");
    var util = __require("util");
    exports.httpOverHttp = httpOverHttp;
    exports.httpsOverHttp = httpsOverHttp;
    exports.httpOverHttps = httpOverHttps;
    exports.httpsOverHttps = httpsOverHttps;
    function httpOverHttp(options) {
      var agent = new TunnelingAgent(options);
      agent.request = http.request;
      return agent;
    }
    function httpsOverHttp(options) {
      var agent = new TunnelingAgent(options);
      agent.request = http.request;
      agent.createSocket = createSecureSocket;
      agent.defaultPort = 443;
      return agent;
    }
    function httpOverHttps(options) {
      var agent = new TunnelingAgent(options);
      agent.request = https.request;
      return agent;
    }
    function httpsOverHttps(options) {
      var agent = new TunnelingAgent(options);
      agent.request = https.request;
      agent.createSocket = createSecureSocket;
      agent.defaultPort = 443;
      return agent;
    }
    function TunnelingAgent(options) {
      var self = this;
      self.options = options || {};
      self.proxyOptions = self.options.proxy || {};
      self.maxSockets = self.options.maxSockets || http.Agent.defaultMaxSockets;
      self.requests = [];
      self.sockets = [];
      self.on("free", function onFree(socket, host, port, localAddress) {
        var options2 = toOptions(host, port, localAddress);
        for (var i = 0, len = self.requests.length; i < len; ++i) {
          var pending = self.requests[i];
          if (pending.host === options2.host && pending.port === options2.port) {
            self.requests.splice(i, 1);
            pending.request.onSocket(socket);
            return;
          }
        }
        socket.destroy();
        self.removeSocket(socket);
      });
    }
    util.inherits(TunnelingAgent, events.EventEmitter);
    TunnelingAgent.prototype.addRequest = function addRequest(req, host, port, localAddress) {
      var self = this;
      var options = mergeOptions({ request: req }, self.options, toOptions(host, port, localAddress));
      if (self.sockets.length >= this.maxSockets) {
        self.requests.push(options);
        return;
      }
      self.createSocket(options, function(socket) {
        socket.on("free", onFree);
        socket.on("close", onCloseOrRemove);
        socket.on("agentRemove", onCloseOrRemove);
        req.onSocket(socket);
        function onFree() {
          self.emit("free", socket, options);
        }
        function onCloseOrRemove(err) {
          self.removeSocket(socket);
          socket.removeListener("free", onFree);
          socket.removeListener("close", onCloseOrRemove);
          socket.removeListener("agentRemove", onCloseOrRemove);
        }
      });
    };
    TunnelingAgent.prototype.createSocket = function createSocket(options, cb) {
      var self = this;
      var placeholder = {};
      self.sockets.push(placeholder);
      var connectOptions = mergeOptions({}, self.proxyOptions, {
        method: "CONNECT",
        path: options.host + ":" + options.port,
        agent: false,
        headers: {
          host: options.host + ":" + options.port
        }
      });
      if (options.localAddress) {
        connectOptions.localAddress = options.localAddress;
      }
      if (connectOptions.proxyAuth) {
        connectOptions.headers = connectOptions.headers || {};
        connectOptions.headers["Proxy-Authorization"] = "Basic " + new Buffer(connectOptions.proxyAuth).toString("base64");
      }
      debug("making CONNECT request");
      var connectReq = self.request(connectOptions);
      connectReq.useChunkedEncodingByDefault = false;
      connectReq.once("response", onResponse);
      connectReq.once("upgrade", onUpgrade);
      connectReq.once("connect", onConnect);
      connectReq.once("error", onError);
      connectReq.end();
      function onResponse(res) {
        res.upgrade = true;
      }
      function onUpgrade(res, socket, head) {
        process.nextTick(function() {
          onConnect(res, socket, head);
        });
      }
      function onConnect(res, socket, head) {
        connectReq.removeAllListeners();
        socket.removeAllListeners();
        if (res.statusCode !== 200) {
          debug(
            "tunneling socket could not be established, statusCode=%d",
            res.statusCode
          );
          socket.destroy();
          var error = new Error("tunneling socket could not be established, statusCode=" + res.statusCode);
          error.code = "ECONNRESET";
          options.request.emit("error", error);
          self.removeSocket(placeholder);
          return;
        }
        if (head.length > 0) {
          debug("got illegal response body from proxy");
          socket.destroy();
          var error = new Error("got illegal response body from proxy");
          error.code = "ECONNRESET";
          options.request.emit("error", error);
          self.removeSocket(placeholder);
          return;
        }
        debug("tunneling connection has established");
        self.sockets[self.sockets.indexOf(placeholder)] = socket;
        return cb(socket);
      }
      function onError(cause) {
        connectReq.removeAllListeners();
        debug(
          "tunneling socket could not be established, cause=%s\n",
          cause.message,
          cause.stack
        );
        var error = new Error("tunneling socket could not be established, cause=" + cause.message);
        error.code = "ECONNRESET";
        options.request.emit("error", error);
        self.removeSocket(placeholder);
      }
    };
    TunnelingAgent.prototype.removeSocket = function removeSocket(socket) {
      var pos = this.sockets.indexOf(socket);
      if (pos === -1) {
        return;
      }
      this.sockets.splice(pos, 1);
      var pending = this.requests.shift();
      if (pending) {
        this.createSocket(pending, function(socket2) {
          pending.request.onSocket(socket2);
        });
      }
    };
    function createSecureSocket(options, cb) {
      var self = this;
      TunnelingAgent.prototype.createSocket.call(self, options, function(socket) {
        var hostHeader = options.request.getHeader("host");
        var tlsOptions = mergeOptions({}, self.options, {
          socket,
          servername: hostHeader ? hostHeader.replace(/:.*$/, "") : options.host
        });
        var secureSocket = tls.connect(0, tlsOptions);
        self.sockets[self.sockets.indexOf(socket)] = secureSocket;
        cb(secureSocket);
      });
    }
    function toOptions(host, port, localAddress) {
      if (typeof host === "string") {
        return {
          host,
          port,
          localAddress
        };
      }
      return host;
    }
    function mergeOptions(target) {
      for (var i = 1, len = arguments.length; i < len; ++i) {
        var overrides = arguments[i];
        if (typeof overrides === "object") {
          var keys = Object.keys(overrides);
          for (var j = 0, keyLen = keys.length; j < keyLen; ++j) {
            var k = keys[j];
            if (overrides[k] !== void 0) {
              target[k] = overrides[k];
            }
          }
        }
      }
      return target;
    }
    var debug;
    if (process.env.NODE_DEBUG && /\btunnel\b/.test(process.env.NODE_DEBUG)) {
      debug = function() {
        var args = Array.prototype.slice.call(arguments);
        if (typeof args[0] === "string") {
          args[0] = "TUNNEL: " + args[0];
        } else {
          args.unshift("TUNNEL:");
        }
        console.error.apply(console, args);
      };
    } else {
      debug = function() {
      };
    }
    exports.debug = debug;
  }
});

// node_modules/tunnel/index.js
var require_tunnel2 = __commonJS({
  "node_modules/tunnel/index.js"(exports, module) {
    module.exports = require_tunnel();
  }
});

// src/publish/errors.ts
var InputError = class extends Error {
  constructor(input, message, what = "input") {
    super(`${what} '${input}': ${message}`);
    this.input = input;
  }
  input;
  name = "InputError";
  code = "INPUT_INVALID";
};
var PublishError = class extends Error {
  constructor(code, message, problems = []) {
    super(problems.length > 0 ? `${message}:
  - ${problems.join("\n  - ")}` : message);
    this.code = code;
    this.problems = problems;
  }
  code;
  problems;
  name = "PublishError";
};

// src/oci/digest.ts
import { createHash } from "node:crypto";
var SHA256_DIGEST = /^sha256:[a-f0-9]{64}$/;
var ANY_DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
function sha256Digest(bytes) {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}
function isDigest(value) {
  if (value.startsWith("sha256:")) return SHA256_DIGEST.test(value);
  return ANY_DIGEST.test(value);
}
function shortDigest(digest) {
  const [algorithm, encoded] = digest.split(":");
  return encoded === void 0 ? digest : `${algorithm}:${encoded.slice(0, 12)}`;
}

// src/registry/reference.ts
var DOCKER_HUB = "docker.io";
var DOCKER_HUB_API = "registry-1.docker.io";
var REPOSITORY = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$/;
var TAG = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;
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
    if (!TAG.test(tag))
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
  return TAG.test(tag);
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

// src/publish/options.ts
var DEFAULTS = {
  platforms: "linux/amd64,linux/arm64",
  "source-template": "{tag}-{os}{-release}-{arch}{-variant}",
  "media-type": "auto",
  mode: "publish",
  "on-existing": "update",
  "wait-timeout": "0",
  timeout: "10m"
};
var INPUT_NAMES = [
  "images",
  "tag",
  "platforms",
  "source-template",
  "sources",
  "tags",
  "media-type",
  "annotations",
  "mode",
  "on-existing",
  "wait-timeout",
  "timeout",
  "username",
  "password",
  "github-token",
  "insecure-registries"
];

// src/publish/template.ts
var TOKENS = ["tag", "os", "arch", "variant", "release", "osversion"];
var TemplateSyntaxError = class extends Error {
  name = "TemplateSyntaxError";
};
function parseTemplate(text) {
  const parts = [];
  let i = 0;
  let literal = "";
  while (i < text.length) {
    const c = text[i];
    if (c === "}") throw new TemplateSyntaxError(`'${text}': unmatched '}' at position ${i + 1}`);
    if (c !== "{") {
      literal += c;
      i++;
      continue;
    }
    const end = text.indexOf("}", i);
    if (end < 0) throw new TemplateSyntaxError(`'${text}': unclosed '{' at position ${i + 1}`);
    const body = text.slice(i + 1, end);
    const dash = body.startsWith("-");
    const name = dash ? body.slice(1) : body;
    if (!TOKENS.includes(name)) {
      throw new TemplateSyntaxError(
        `'${text}': unknown token {${body}}; tokens are ${TOKENS.map((t) => `{${t}}`).join(" ")}, each also as {-x}`
      );
    }
    if (literal) parts.push({ literal });
    literal = "";
    parts.push({ token: name, dash });
    i = end + 1;
  }
  if (literal) parts.push({ literal });
  if (!parts.some((p) => "token" in p)) {
    throw new TemplateSyntaxError(
      `'${text}' has no tokens, so every platform would have the same source`
    );
  }
  return { text, parts };
}
function tokenValues(tag, platform) {
  return {
    tag,
    os: platform.os,
    arch: platform.architecture,
    variant: platform.variant ?? "",
    release: platform.release ?? "",
    osversion: platform.osVersion ?? ""
  };
}
function renderTemplate(template, tag, platform) {
  const values = tokenValues(tag, platform);
  return template.parts.map((part) => {
    if ("literal" in part) return part.literal;
    const value = values[part.token];
    return part.dash ? value ? `-${value}` : "" : value;
  }).join("");
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
function parseAnnotations(raw) {
  const out = {};
  for (const line of splitLines(raw)) {
    const eq = line.indexOf("=");
    const key = eq >= 0 ? line.slice(0, eq).trim() : "";
    if (eq < 0 || !key) throw new InputError("annotations", `'${line}' is not key=value`);
    if (/\s/.test(key)) throw new InputError("annotations", `key '${key}' contains whitespace`);
    if (key in out) throw new InputError("annotations", `key '${key}' is given twice`);
    out[key] = line.slice(eq + 1).trim();
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
function parseOptions(raw, env = {}) {
  const value = (name) => {
    const v = raw[name];
    return v === void 0 || v.trim() === "" ? void 0 : v;
  };
  const mode = oneOf("mode", value("mode") ?? DEFAULTS.mode, ["publish", "verify", "dry-run"]);
  const mediaType = oneOf(
    "media-type",
    value("media-type") ?? DEFAULTS["media-type"],
    ["auto", "oci", "docker"]
  );
  const onExisting = oneOf(
    "on-existing",
    value("on-existing") ?? DEFAULTS["on-existing"],
    ["update", "keep"]
  );
  const waitTimeoutMs = duration("wait-timeout", value("wait-timeout") ?? DEFAULTS["wait-timeout"]);
  const timeoutMs = duration("timeout", value("timeout") ?? DEFAULTS.timeout);
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
  const annotations = parseAnnotations(value("annotations"));
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
    sourceTemplate = parseTemplate(value("source-template") ?? DEFAULTS["source-template"]);
  } catch (error) {
    if (error instanceof TemplateSyntaxError) throw new InputError("source-template", error.message);
    throw error;
  }
  const images = parseImages(value("images"));
  const sourcesText = splitList(value("sources"));
  if (sourcesText.length > 0 && value("platforms")) {
    throw new InputError(
      "sources",
      "cannot be combined with platforms: with sources the platforms come from the images themselves"
    );
  }
  if (sourcesText.length > 0 && value("source-template")) {
    throw new InputError(
      "sources",
      "cannot be combined with source-template: the sources are named explicitly"
    );
  }
  if (sourcesText.length > 0 && images.some((i) => i.platforms)) {
    throw new InputError("images", "per-image platform lists cannot be combined with sources");
  }
  const defaultPlatforms = platformListOrAuto(
    "platforms",
    splitList(value("platforms") ?? DEFAULTS.platforms)
  );
  if (defaultPlatforms !== "auto" && defaultPlatforms.length === 0)
    throw new InputError("platforms", "is empty; give at least one platform, e.g. linux/amd64");
  const extraTags = splitList(value("tags")).map((text) => {
    if (!text.includes("/") && !text.includes("@")) {
      if (!isValidTag(text)) {
        throw new InputError(
          "tags",
          `'${text}' is not a valid tag: ${TAG_RULE}; or give a full reference such as ghcr.io/owner/app:latest`
        );
      }
      return { text, tag: text, image: void 0 };
    }
    const ref = reference("tags", text);
    if (ref.digest || ref.tag === void 0)
      throw new InputError("tags", `'${text}' must be a tag, not a digest or a bare repository`);
    const name = repositoryName(ref);
    if (!images.some((i) => repositoryName(i.image) === name)) {
      throw new InputError(
        "tags",
        `'${text}' is in ${name}, which is not one of the images; a full-reference tag must name one of the images`
      );
    }
    return { text, tag: ref.tag, image: name };
  });
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
    waitTimeoutMs,
    timeoutMs,
    username,
    password,
    githubToken: value("github-token")?.trim(),
    insecureRegistries,
    sourceTemplate
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

// src/action/untrusted-text.ts
var JOINER = "\u2060";
function neutralise(text) {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, " ").replace(/::/g, `:${JOINER}:`).replace(/##\[/g, `#${JOINER}#[`).trim();
}
function longestBacktickRun(text) {
  return Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
}
function codeCell(text) {
  const line = neutralise(text);
  if (line === "") return "";
  const ticks = "`".repeat(longestBacktickRun(line) + 1);
  return `${ticks} ${line.replace(/\|/g, "\\|")} ${ticks}`;
}
function codeBlock(text, info = "") {
  const lines = text.split(/\r?\n/).map(neutralise);
  const fence = "`".repeat(Math.max(3, longestBacktickRun(text) + 1));
  return [`${fence}${info}`, ...lines, fence].join("\n");
}
function shellWord(text) {
  return /^[A-Za-z0-9._/=:@-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

export {
  __require,
  __commonJS,
  __toESM,
  require_tunnel2 as require_tunnel,
  InputError,
  PublishError,
  sha256Digest,
  shortDigest,
  DOCKER_HUB,
  parseRepository,
  repositoryName,
  formatReference,
  registryApiHost,
  isLoopbackHost,
  WINDOWS_RELEASE_BUILDS,
  PlatformSyntaxError,
  parsePlatform,
  normalizedPlatformKey,
  fullPlatformKey,
  expectedPlatformKey,
  platformMismatch,
  formatPlatform,
  platformFromConfig,
  isUnknownPlatform,
  renderTemplate,
  INPUT_NAMES,
  parseDuration,
  splitLines,
  parseOptions,
  neutralise,
  codeCell,
  codeBlock,
  shellWord
};
