/**
 * Which requirements of a policy.json apply to an image, as containers/image chooses them for the
 * docker transport (signature/policy_eval.go requirementsForImageRef, with
 * docker/docker_transport.go PolicyConfigurationIdentity / PolicyConfigurationNamespaces and
 * docker/policyconfiguration/naming.go):
 *
 *  1. the scope equal to the image's identity: `name@digest` (or `name:tag`);
 *  2. the image's namespaces, most specific first: the repository, each parent namespace, the
 *     host[:port], then `*.example.com`-style wildcards of the host's parent domains (port dropped);
 *  3. the docker transport's default scope `""`;
 *  4. the policy's global `default`.
 *
 * The first that exists is used whole; less specific ones are ignored, even when they would be
 * stricter. Pure.
 */
import { policyNamespaces, type DockerReference } from '../sigstore/reference.ts';
import type { PolicyJson, RequirementList } from './policy-json.ts';
import { dockerIdentity } from './registries-d.ts';

export type ScopeKind = 'identity' | 'namespace' | 'transport-default' | 'default';

export interface ScopeMatch {
  kind: ScopeKind;
  /** The scope string (`""` for the transport default, undefined for the global default). */
  scope?: string;
  requirements: RequirementList;
}

export const DOCKER_TRANSPORT = 'docker';

export function resolveScope(policy: PolicyJson, intended: DockerReference): ScopeMatch {
  const scopes = policy.transports.get(DOCKER_TRANSPORT);
  if (scopes) {
    const identity = dockerIdentity(intended);
    const exact = identity !== intended.name ? scopes.get(identity) : undefined;
    if (exact) return { kind: 'identity', scope: identity, requirements: exact };
    for (const ns of policyNamespaces(intended)) {
      const found = scopes.get(ns);
      if (found) return { kind: 'namespace', scope: ns, requirements: found };
    }
    const transportDefault = scopes.get('');
    if (transportDefault) return { kind: 'transport-default', scope: '', requirements: transportDefault };
  }
  return { kind: 'default', requirements: policy.default };
}

/** How a scope match is cited in reasons: `policy.json transports.docker["quay.io/x"]`. */
export function describeScope(policy: PolicyJson, match: ScopeMatch): string {
  const where = `${policy.file} ${match.requirements.at}`;
  switch (match.kind) {
    case 'identity':
      return `${where} (the scope of this exact image)`;
    case 'namespace':
      return `${where} (the most specific scope covering it)`;
    case 'transport-default':
      return `${where} (the docker transport's default: no scope covers it)`;
    default:
      return `${where} (the global default: no docker scope covers it)`;
  }
}
