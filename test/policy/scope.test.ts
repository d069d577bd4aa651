import { describe, expect, it } from 'vitest';
import { parsePolicyJson } from '../../src/policy/policy-json.ts';
import { resolveScope } from '../../src/policy/scope.ts';
import { parseNormalizedNamed, type DockerReference } from '../../src/sigstore/reference.ts';

const D = `sha256:${'b'.repeat(64)}`;
function ref(s: string): DockerReference {
  const r = parseNormalizedNamed(s);
  if (!r.ok) throw new Error(r.reason);
  return r.ref;
}
const ANY = [{ type: 'insecureAcceptAnything' }];

/** The scope containers/image picks for `image` among `scopes` (requirementsForImageRef). */
function pick(scopes: string[], image: string, withTransportDefault = false): string | undefined {
  const docker: Record<string, unknown> = Object.fromEntries(scopes.map((s) => [s, ANY]));
  if (withTransportDefault) docker[''] = ANY;
  const policy = parsePolicyJson(new TextEncoder().encode(JSON.stringify({ default: [{ type: 'reject' }], transports: { docker } })), 'policy.json');
  const m = resolveScope(policy, ref(image));
  return m.kind === 'default' ? undefined : m.scope;
}

describe('resolveScope: the most specific docker scope', () => {
  const all = [`quay.io/ns/app@${D}`, 'quay.io/ns/app', 'quay.io/ns', 'quay.io', '*.io'];
  it('takes the exact image, then the repository, namespaces, host, wildcards', () => {
    expect(pick(all, `quay.io/ns/app@${D}`)).toBe(`quay.io/ns/app@${D}`);
    expect(pick(all.slice(1), `quay.io/ns/app@${D}`)).toBe('quay.io/ns/app');
    expect(pick(all.slice(2), `quay.io/ns/app@${D}`)).toBe('quay.io/ns');
    expect(pick(all.slice(3), `quay.io/ns/app@${D}`)).toBe('quay.io');
    expect(pick(all.slice(4), `quay.io/ns/app@${D}`)).toBe('*.io');
  });
  it('then the transport default, then the global default', () => {
    expect(pick(['registry.example.com'], `quay.io/ns/app@${D}`, true)).toBe('');
    expect(pick(['registry.example.com'], `quay.io/ns/app@${D}`)).toBeUndefined();
  });
  it('matches whole path components and hosts only', () => {
    expect(pick(['quay.io/ns/ap', 'quay.io/n', 'quay.i'], `quay.io/ns/app@${D}`)).toBeUndefined();
    expect(pick(['quay.io/ns/app:latest'], `quay.io/ns/app@${D}`)).toBeUndefined();
  });
  it('drops the port for wildcards but keeps it for the host scope', () => {
    expect(pick(['*.example.com'], `r.example.com:5000/a@${D}`)).toBe('*.example.com');
    expect(pick(['r.example.com'], `r.example.com:5000/a@${D}`)).toBeUndefined();
    expect(pick(['r.example.com:5000', '*.example.com'], `r.example.com:5000/a@${D}`)).toBe('r.example.com:5000');
  });
  it('normalises docker.io names as containers/image does', () => {
    expect(pick(['docker.io/library/busybox'], `busybox@${D}`)).toBe('docker.io/library/busybox');
  });
});
