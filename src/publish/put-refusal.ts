/**
 * What a registry meant by refusing the index PUT, told by status and error code, never by
 * message text (docs/registry-quirks.md: the wording changes without notice, row 3). Registries
 * refuse a PUT for two reasons that this tool can act on:
 *
 * - the tag may not be written again (immutable tags, locks): rows 2, 3, 4;
 * - the document's media type is not accepted: rows 28, 30, 31.
 *
 * Artifact Registry answers an immutable tag with 400 `MANIFEST_INVALID` (row 4), the code
 * other registries use for a document they will not take (rows 29, 30): the two are told
 * apart by whether the tag already exists, which the caller reads.
 */
import { MEDIA_TYPE_DOCKER_LIST, MEDIA_TYPE_OCI_INDEX } from '../oci/media-types.js'
import { RegistryError } from '../registry/base/errors.js'

export type PutRefusal =
  /** The registry's rule keeps the tag as it is. */
  | { kind: 'immutable'; rule: string }
  /** The registry does not take this media type or document. */
  | { kind: 'content'; rule: string }
  /** 400 MANIFEST_INVALID: immutable when the tag exists, else a refused document. */
  | { kind: 'immutable-or-content'; immutableRule: string; contentRule: string }

/** The refusal a PUT error stands for, or undefined for any other failure. */
export function classifyPutRefusal(error: unknown): PutRefusal | undefined {
  if (!(error instanceof RegistryError)) return undefined
  const { status } = error
  // Row 3: ECR, tag immutability IMMUTABLE; refused even when the bytes are the same.
  if (status === 400 && error.hasCode('TAG_INVALID'))
    return {
      kind: 'immutable',
      rule: "ECR's tag immutability (the repository's image tag mutability is IMMUTABLE)"
    }
  // Row 2: Harbor answers 412 PRECONDITION to any PUT onto a tag an immutability rule covers.
  if (status === 412)
    return { kind: 'immutable', rule: 'a Harbor tag immutability rule of the project' }
  // Row 28: ECR refuses a document it does not take with 405 UNSUPPORTED.
  if (status === 405 && error.hasCode('UNSUPPORTED'))
    return {
      kind: 'content',
      rule: 'the registry does not accept this manifest (405 UNSUPPORTED, as ECR answers)'
    }
  // Row 4: ACR has no write-once tags, only locks (write-enabled false): 405.
  if (status === 405)
    return {
      kind: 'immutable',
      rule: 'a lock on the repository or tag (ACR: write-enabled is false)'
    }
  // Row 31: zot answers 415 to Docker media types unless http.compat has docker2s2.
  if (status === 415)
    return { kind: 'content', rule: 'the registry does not accept this media type (415)' }
  if (status === 400 && error.hasCode('MANIFEST_INVALID'))
    return {
      kind: 'immutable-or-content',
      immutableRule:
        "the repository's tag immutability (Artifact Registry refuses to move a tag with 400 MANIFEST_INVALID)",
      contentRule: 'the registry does not accept this manifest (400 MANIFEST_INVALID)'
    }
  return undefined
}

/** What to do about a refused media type: the `media-type` input to use instead. */
export function mediaTypeAdvice(sent: string): string {
  if (sent === MEDIA_TYPE_DOCKER_LIST)
    return 'set the input media-type: oci (zot takes Docker media types only with http.compat: [docker2s2]; ECR and GitLab check media types too)'
  if (sent === MEDIA_TYPE_OCI_INDEX)
    return 'set the input media-type: docker, possible when every per-arch image is a Docker v2 manifest (self-hosted Quay takes OCI only with FEATURE_GENERAL_OCI_SUPPORT, and older Quay refuses an OCI index of Docker manifests)'
  return 'check which media types the registry accepts'
}
