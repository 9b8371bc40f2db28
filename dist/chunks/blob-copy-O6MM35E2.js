import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  RestartRequested,
  header
} from "./chunk-SWRJAXB6.js";
import {
  IntegrityError,
  RegistryError
} from "./chunk-PCIAHVJB.js";
import {
  formatReference
} from "./chunk-HJGTKYEE.js";
import "./chunk-CM7TTNES.js";
import "./chunk-WGTGFSMG.js";
import "./chunk-QZHQZAVZ.js";
import "./chunk-PY5VAGIZ.js";

// src/registry/api/blob-copy.ts
import { createHash } from "node:crypto";
import { Transform, pipeline } from "node:stream";
var DIGEST = /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;
function describe(end, digest) {
  return formatReference({ registry: end.registry, repository: end.repository, digest });
}
async function copyBlob(target, source, blob) {
  if (!DIGEST.test(blob.digest)) {
    throw new IntegrityError(
      "BAD_DOCUMENT",
      `copy blob ${describe(source, blob.digest)}: not a sha256 or sha512 digest`
    );
  }
  if (!Number.isSafeInteger(blob.size) || blob.size < 0) {
    throw new IntegrityError(
      "BAD_DOCUMENT",
      `copy blob ${describe(source, blob.digest)}: size ${blob.size} is not a byte count`
    );
  }
  if (await target.headBlob(blob.digest)) return "exists";
  let session;
  if (source.registry === target.registry && source.repository !== target.repository) {
    const mounted = await mount(target, source, blob.digest);
    if (mounted === true) return "mounted";
    session = mounted;
  }
  await streamedCopy(target, source, blob, session);
  return "copied";
}
async function mount(target, source, digest) {
  const context = {
    operation: "mount blob",
    target: `${describe(target, digest)} from ${source.repository}`
  };
  let response;
  try {
    response = await target.transport.send({
      registry: target.registry,
      method: "POST",
      path: `/v2/${target.repository}/blobs/uploads/?mount=${digest}&from=${source.repository}`,
      // distribution requires pull on the `from` repository as well (registry/handlers/app.go).
      scope: [target.scope, `repository:${source.repository}:pull`],
      context,
      accept: [201, 202]
    });
  } catch (error) {
    if (error instanceof RegistryError && error.status >= 400 && error.status < 500) {
      return void 0;
    }
    throw error;
  }
  if (response.status === 201) {
    const served = header(response.headers, "docker-content-digest");
    if (served && served !== digest) {
      throw new IntegrityError(
        "DIGEST_MISMATCH",
        `${context.operation} ${context.target}: the registry mounted ${served}`
      );
    }
    return true;
  }
  const location = header(response.headers, "location");
  return location ? new URL(location, response.url).toString() : void 0;
}
async function startUpload(target, digest) {
  const context = { operation: "POST upload", target: describe(target, digest) };
  const response = await target.transport.send({
    registry: target.registry,
    method: "POST",
    path: `/v2/${target.repository}/blobs/uploads/`,
    scope: target.scope,
    context,
    accept: [202]
  });
  const location = header(response.headers, "location");
  if (!location) {
    throw new RegistryError(context, response.status, [], {
      bodyText: "without the Location of the upload session"
    });
  }
  return new URL(location, response.url).toString();
}
function withDigest(location, digest) {
  const url = new URL(location);
  url.search = url.search ? `${url.search}&digest=${digest}` : `?digest=${digest}`;
  return url.toString();
}
async function streamedCopy(target, source, blob, session) {
  const context = {
    operation: "copy blob",
    target: `${describe(source, blob.digest)} to ${target.registry}/${target.repository}`
  };
  const restarted = { forgotten: false, refused: false };
  await target.transport.retrying(
    target.registry,
    `${context.operation} ${context.target}`,
    async () => {
      const location = session ?? await startUpload(target, blob.digest);
      session = void 0;
      const download = await openSource(source, blob);
      try {
        await upload(target, blob, location, download);
      } catch (error) {
        throw restartable(error, restarted);
      } finally {
        download.destroy();
      }
    }
  );
}
function restartable(error, restarted) {
  if (!(error instanceof RegistryError)) return error;
  if (error.hasCode("BLOB_UPLOAD_UNKNOWN") && !restarted.forgotten) {
    restarted.forgotten = true;
    return new RestartRequested("the upload session is unknown to the registry", error);
  }
  if (error.status === 401 && !restarted.refused) {
    restarted.refused = true;
    return new RestartRequested("401 Unauthorized (token refused)", error);
  }
  return error;
}
async function openSource(source, blob) {
  const context = { operation: "GET blob", target: describe(source, blob.digest) };
  const response = await source.transport.sendStream({
    registry: source.registry,
    method: "GET",
    path: `/v2/${source.repository}/blobs/${blob.digest}`,
    scope: source.scope,
    context,
    accept: [200],
    followRedirects: true
  });
  const length = header(response.headers, "content-length");
  if (length !== void 0 && Number(length) !== blob.size) {
    response.body.destroy();
    throw new IntegrityError(
      "DIGEST_MISMATCH",
      `${context.operation} ${context.target}: the source serves ${length} bytes, the descriptor says ${blob.size}`
    );
  }
  return response.body;
}
async function upload(target, blob, location, download) {
  const context = { operation: "PUT blob", target: describe(target, blob.digest) };
  const verified = verifier(blob, context);
  pipeline(download, verified, () => void 0);
  const response = await target.transport.sendUpload({
    registry: target.registry,
    method: "PUT",
    path: withDigest(location, blob.digest),
    headers: {
      "content-type": "application/octet-stream",
      "content-length": String(blob.size)
    },
    body: verified,
    scope: target.scope,
    context,
    accept: [201]
  });
  const served = header(response.headers, "docker-content-digest");
  if (served && served !== blob.digest) {
    throw new IntegrityError(
      "DIGEST_MISMATCH",
      `${context.operation} ${context.target}: the registry stored ${served}`
    );
  }
}
function verifier(blob, context) {
  const [algorithm] = blob.digest.split(":");
  const hash = createHash(algorithm);
  const what = `${context.operation} ${context.target}`;
  let received = 0;
  let checked = false;
  const check = () => {
    checked = true;
    const actual = `${algorithm}:${hash.digest("hex")}`;
    return actual === blob.digest ? void 0 : new IntegrityError("DIGEST_MISMATCH", `${what}: the source's bytes hash to ${actual}`);
  };
  return new Transform({
    transform(chunk, _encoding, callback) {
      received += chunk.length;
      if (received > blob.size) {
        callback(
          new IntegrityError(
            "TOO_LARGE",
            `${what}: the source sends more than the ${blob.size} bytes the descriptor says`
          )
        );
        return;
      }
      hash.update(chunk);
      const failure = received === blob.size ? check() : void 0;
      if (failure) callback(failure);
      else callback(null, chunk);
    },
    flush(callback) {
      if (received !== blob.size) {
        callback(
          new IntegrityError(
            "DIGEST_MISMATCH",
            `${what}: the source's body ended after ${received} of ${blob.size} bytes`
          )
        );
        return;
      }
      callback((checked ? void 0 : check()) ?? null);
    }
  });
}
export {
  copyBlob,
  withDigest
};
