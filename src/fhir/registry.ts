/** The resource types the engine serves: the only place it learns which types exist. */
import type { AnyResourceDefinition } from './types.js';

export class Registry {
  private readonly byType = new Map<string, AnyResourceDefinition>();

  constructor(definitions: AnyResourceDefinition[]) {
    for (const def of definitions) {
      if (this.byType.has(def.type)) throw new Error(`Resource type ${def.type} is registered twice`);
      this.byType.set(def.type, def);
    }
  }

  get(type: string): AnyResourceDefinition | undefined {
    return this.byType.get(type);
  }

  all(): AnyResourceDefinition[] {
    return [...this.byType.values()];
  }
}
