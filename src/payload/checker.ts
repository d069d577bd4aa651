/**
 * The payload seam's implementation: read the payload (read.ts), then, when asked, check its
 * component images (components.ts). Wiring (src/wiring/deps.ts) builds it from the configuration.
 */
import type { PayloadCheck, PayloadChecker, PayloadCheckOptions, ResolvedImage } from '../model/checkers.ts';
import { checkComponents, componentsOfUnreadPayload, type ComponentCheckDeps } from './components.ts';
import type { PayloadSource } from './fetch.ts';
import { readPayload, type PayloadReadOptions } from './read.ts';

export interface PayloadCheckerDeps {
  source: PayloadSource;
  read: PayloadReadOptions;
  components: ComponentCheckDeps;
}

export function createPayloadChecker(deps: PayloadCheckerDeps): PayloadChecker {
  return {
    async check(image: ResolvedImage, options: PayloadCheckOptions): Promise<PayloadCheck> {
      const read = await readPayload(image, deps.source, deps.read);
      if (!options.components) return { read };
      if (read.kind !== 'read') return { read, components: componentsOfUnreadPayload(read) };
      // A multi release references its components as manifest lists.
      const components = await checkComponents(read.contents, deps.components, { lists: (image.instances?.length ?? 0) > 0 });
      // The list has served its purpose; what callers keep (memo, cache) need not hold 200 references.
      const { components: _list, unreadable: _unreadable, ...rest } = read.contents;
      return { read: { ...read, contents: rest }, components };
    },
  };
}
