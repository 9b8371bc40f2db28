/**
 * Architecture names from other vocabularies (uname, Debian, Go's GOARM spelled out) that an
 * OCI platform never carries: image configs say `amd64`, `arm64`, `arm` + `v7` (OCI image
 * spec, config.json `architecture`: GOARCH values; containerd/platforms normalises these
 * aliases the same way). A platform written with one of them can never match its image, so
 * it is refused with the OCI spelling before any request.
 */

/** alias → the OCI architecture[/variant] it stands for. */
const ARCHITECTURE_ALIASES: Readonly<Record<string, string>> = {
  x86_64: 'amd64',
  'x86-64': 'amd64',
  x64: 'amd64',
  aarch64: 'arm64',
  armv8: 'arm64',
  armhf: 'arm/v7',
  armv7: 'arm/v7',
  armv7l: 'arm/v7',
  armel: 'arm/v6',
  armv6: 'arm/v6',
  armv6l: 'arm/v6',
  i386: '386',
  i686: '386',
  x86: '386',
  ppc64el: 'ppc64le'
}

/**
 * The OCI `architecture[/variant]` when `architecture` is an alias (`aarch64` → `arm64`),
 * else undefined. A variant written after an alias that already implies one is dropped:
 * `armhf/v7` → `arm/v7`.
 */
export function ociArchitecture(architecture: string, variant?: string): string | undefined {
  const oci = ARCHITECTURE_ALIASES[architecture.toLowerCase()]
  if (oci === undefined) return undefined
  return oci.includes('/') || variant === undefined ? oci : `${oci}/${variant}`
}
