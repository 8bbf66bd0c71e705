/**
 * The resource types the engine serves: the only place it learns which types exist. A type is
 * served from one definition (one table), or from several definitions of the same type that each
 * name their `source` (one table each, see sources/README.md).
 */
import type { AnyResourceDefinition, Interaction, MultiSourceType, Rights, ServedType } from './types.js';
import { isMultiSource } from './types.js';

export class Registry {
  private readonly byType = new Map<string, ServedType>();

  constructor(definitions: AnyResourceDefinition[]) {
    const grouped = new Map<string, AnyResourceDefinition[]>();
    for (const def of definitions) grouped.set(def.type, [...(grouped.get(def.type) ?? []), def]);
    for (const [type, defs] of grouped) {
      if (defs.length === 1) {
        this.byType.set(type, defs[0]);
        continue;
      }
      const names = defs.map((d) => d.source);
      if (names.some((n) => !n) || new Set(names).size !== names.length) {
        throw new Error(`Resource type ${type} is registered twice (several definitions of a type need distinct source names)`);
      }
      this.byType.set(type, { type, sources: defs, rights: unionRights(defs) });
    }
    // A reference into a type with several sources says which table its column holds keys of.
    for (const def of definitions) {
      for (const p of def.searchParams) {
        if (p.type !== 'reference') continue;
        const target = this.byType.get(p.target);
        if (target && isMultiSource(target) && !target.sources.some((s) => s.source === p.targetSource)) {
          throw new Error(`${def.type}.${p.code} references ${p.target}, served from several sources: name one in targetSource`);
        }
      }
    }
  }

  /** The single-table definition: the type's only one, or its named source. */
  get(type: string, source?: string): AnyResourceDefinition | undefined {
    const served = this.byType.get(type);
    if (!served) return undefined;
    if (!isMultiSource(served)) return source === undefined || served.source === undefined || served.source === source ? served : undefined;
    return source === undefined ? undefined : served.sources.find((s) => s.source === source);
  }

  served(type: string): ServedType | undefined {
    return this.byType.get(type);
  }

  /** One entry per type. */
  all(): ServedType[] {
    return [...this.byType.values()];
  }

  /** Every single-table definition: each type's one, or each of its sources. */
  definitions(): AnyResourceDefinition[] {
    return this.all().flatMap((s) => (isMultiSource(s) ? s.sources : [s]));
  }
}

/** The sources of a served type (one for an ordinary type). */
export function sourcesOf(served: ServedType | undefined): AnyResourceDefinition[] {
  if (!served) return [];
  return isMultiSource(served) ? served.sources : [served];
}

/**
 * Per interaction, the rights of any source that offers it: a caller with any of them passes the
 * type-level check; each interaction then checks the source it touches.
 */
function unionRights(defs: AnyResourceDefinition[]): Rights {
  const rights: Rights = {};
  const interactions = new Set(defs.flatMap((d) => Object.keys(d.rights) as Interaction[]));
  for (const interaction of interactions) {
    const lists = defs.map((d) => d.rights[interaction]).filter((r): r is number[] => r !== undefined);
    rights[interaction] = lists.some((l) => l.length === 0) ? [] : [...new Set(lists.flat())];
  }
  return rights;
}

export type { MultiSourceType };
