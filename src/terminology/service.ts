/**
 * The openIMIS terminology the $expand, $lookup and $validate-code operations work on
 * (src/fhir/operations/terminology.ts): the catalogue's code systems (IG lists and database tables)
 * and value sets. An expansion walks the value set's compose: a whole code system of ours is paged by
 * its source (SQL for the diagnoses), listed concepts come from the list; each part is counted, so the
 * total is exact and a page touches only the parts it overlaps.
 */
import type { ValueSet, ValueSetComposeInclude } from 'fhir/r4.js';
import type { RequestContext } from '../fhir/types.js';
import { FhirError } from '../fhir/outcome.js';
import type { CodeSystemInfo, Concept, ExpandOptions, Expansion, SystemConcept, Terminology } from '../fhir/operations/terminology.js';
import { assertMayUse, catalogue, type Catalogue, type CodeSystemEntry } from './catalogue.js';

/** One include of a compose, as something to count and page. */
interface Part {
  system: string;
  count(ctx: RequestContext, filter?: string): Promise<number>;
  page(ctx: RequestContext, filter: string | undefined, offset: number, count: number): Promise<Concept[]>;
  find(ctx: RequestContext, code: string): Promise<Concept | undefined>;
}

const notSupported = (diagnostics: string) => new FhirError(422, { code: 'not-supported', diagnostics });

export class OpenimisTerminology implements Terminology {
  constructor(private readonly cat: Catalogue = catalogue()) {}

  async codeSystem(ref: { url?: string; id?: string }, ctx: RequestContext): Promise<CodeSystemInfo | undefined> {
    const entry = this.cat.codeSystem(ref);
    if (!entry) return undefined;
    assertMayUse(entry, ctx);
    const { name, version } = entry.definition;
    return { url: entry.url, id: entry.id, ...(name ? { name } : {}), ...(version ? { version } : {}) };
  }

  async valueSet(ref: { url?: string; id?: string }): Promise<ValueSet | undefined> {
    return this.cat.valueSet(ref)?.definition;
  }

  async lookup(system: CodeSystemInfo, code: string, ctx: RequestContext): Promise<Concept | undefined> {
    const entry = this.cat.codeSystem({ url: system.url });
    if (!entry) return undefined;
    assertMayUse(entry, ctx);
    return (await entry.source.find(ctx, [code]))[0];
  }

  async expand(valueSet: ValueSet, { filter, offset, count }: ExpandOptions, ctx: RequestContext): Promise<Expansion> {
    const parts = this.parts(valueSet, ctx);
    let total = 0;
    let skip = offset;
    let room = count;
    const contains: SystemConcept[] = [];
    for (const part of parts) {
      const n = await part.count(ctx, filter);
      total += n;
      if (room > 0 && skip < n) {
        const page = await part.page(ctx, filter, skip, room);
        contains.push(...page.map((c) => ({ system: part.system, ...c })));
        room -= page.length;
      }
      skip = Math.max(0, skip - n);
    }
    return { total, contains };
  }

  async member(valueSet: ValueSet, system: string | undefined, code: string, ctx: RequestContext): Promise<SystemConcept | undefined> {
    const wanted = system === undefined ? undefined : (this.cat.codeSystem({ url: system })?.url ?? system);
    for (const part of this.parts(valueSet, ctx)) {
      if (wanted !== undefined && part.system !== wanted) continue;
      const concept = await part.find(ctx, code);
      if (concept) return { system: part.system, ...concept };
    }
    return undefined;
  }

  /** The parts of a value set's compose, in order; value sets it includes are walked (once each). */
  private parts(valueSet: ValueSet, ctx: RequestContext, seen = new Set<string>()): Part[] {
    if (valueSet.url) seen.add(valueSet.url);
    const compose = valueSet.compose;
    if (!compose) {
      throw notSupported(`The value set ${valueSet.url ?? valueSet.id ?? ''} has no compose to expand`);
    }
    if (compose.exclude?.length) throw notSupported('Value sets with compose.exclude cannot be expanded by this server');
    const parts: Part[] = [];
    for (const include of compose.include ?? []) {
      for (const url of include.valueSet ?? []) {
        const nested = this.cat.valueSet({ url });
        if (!nested) throw notSupported(`The value set ${url} included by ${valueSet.url ?? 'the value set'} is not known to this server`);
        if (!seen.has(nested.url)) parts.push(...this.parts(nested.definition, ctx, seen));
      }
      if (include.system) parts.push(this.part(include, ctx));
    }
    return parts;
  }

  private part(include: ValueSetComposeInclude, ctx: RequestContext): Part {
    if (include.filter?.length) throw notSupported(`compose.include.filter (on ${include.system}) is not supported by this server`);
    const entry = this.cat.codeSystem({ url: include.system });
    if (entry) assertMayUse(entry, ctx);
    if (include.concept?.length) return listed(include, entry);
    if (!entry) throw notSupported(`The code system ${include.system} is not known to this server: its codes cannot be enumerated`);
    return whole(entry);
  }
}

/** A whole code system of ours, paged by its source. */
function whole(entry: CodeSystemEntry): Part {
  return {
    system: entry.url,
    count: (ctx, filter) => entry.source.count(ctx, filter),
    page: (ctx, filter, offset, count) => entry.source.page(ctx, { filter, offset, count }),
    find: async (ctx, code) => (await entry.source.find(ctx, [code]))[0],
  };
}

/** The concepts an include lists (a few): displays from our code system when it is ours, else from the list. */
function listed(include: ValueSetComposeInclude, entry: CodeSystemEntry | undefined): Part {
  const all = async (ctx: RequestContext): Promise<Concept[]> => {
    const codes = include.concept!.map((c) => c.code);
    const known = entry ? new Map((await entry.source.find(ctx, codes)).map((c) => [c.code, c])) : undefined;
    return include.concept!.flatMap((c): Concept[] => {
      if (known) return known.has(c.code) ? [known.get(c.code)!] : [];
      return [{ code: c.code, ...(c.display ? { display: c.display } : {}), ...(c.designation?.length ? { designation: c.designation.map((d) => ({ ...d })) } : {}) }];
    });
  };
  const matching = async (ctx: RequestContext, filter: string | undefined) => {
    const text = filter?.toLowerCase();
    return (await all(ctx)).filter(
      (c) => !text || c.code.toLowerCase().startsWith(text) || [c.display, ...(c.designation ?? []).map((d) => d.value)].some((d) => d?.toLowerCase().includes(text)),
    );
  };
  return {
    system: entry?.url ?? include.system!,
    count: async (ctx, filter) => (await matching(ctx, filter)).length,
    page: async (ctx, filter, offset, count) => (await matching(ctx, filter)).slice(offset, offset + count),
    find: async (ctx, code) => (await all(ctx)).find((c) => c.code === code),
  };
}

export const openimisTerminology = new OpenimisTerminology();
