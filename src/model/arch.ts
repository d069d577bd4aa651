/**
 * Architectures as graph-data and Cincinnati name them (GOARCH style, plus `multi` for manifest
 * lists), and the uname-style suffixes the release repository uses in its tags.
 */
export const ARCHES = ['amd64', 'arm64', 's390x', 'ppc64le', 'multi'] as const;
export type Arch = (typeof ARCHES)[number];

const TAG_SUFFIX: Record<Arch, string> = {
  amd64: 'x86_64',
  arm64: 'aarch64',
  s390x: 's390x',
  ppc64le: 'ppc64le',
  multi: 'multi',
};

export function isArch(value: string): value is Arch {
  return (ARCHES as readonly string[]).includes(value);
}

/** `amd64` -> `x86_64`: the suffix of the release tag `<version>-<suffix>`. */
export function toTagSuffix(arch: Arch): string {
  return TAG_SUFFIX[arch];
}

/** The OCI platform architecture (as in an image index) of a single-arch release. */
export function fromPlatformArchitecture(value: string): Arch | undefined {
  if (value === 'x86_64') return 'amd64';
  if (value === 'aarch64') return 'arm64';
  return isArch(value) && value !== 'multi' ? value : undefined;
}

/** Parses a comma-separated architecture list such as `amd64,arm64`; throws on an unknown name. */
export function parseArchList(list: string): Arch[] {
  const out: Arch[] = [];
  for (const raw of list.split(',')) {
    const name = raw.trim();
    if (name === '') continue;
    const arch = fromPlatformArchitecture(name) ?? (name === 'multi' ? 'multi' : undefined);
    if (!arch) throw new Error(`unknown architecture ${JSON.stringify(name)} (known: ${ARCHES.join(', ')})`);
    if (!out.includes(arch)) out.push(arch);
  }
  if (out.length === 0) throw new Error('the architecture list is empty');
  return out;
}
