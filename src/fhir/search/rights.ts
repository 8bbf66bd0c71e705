/**
 * What a search returns or reveals of other types needs the caller's search right on them, as the
 * search itself needs it on its own type:
 * - `_include` / `_revinclude` leave out resources of types (or sources) the caller may not search,
 *   as a search of a type of several sources leaves out the sources the caller may not search.
 * - `_has` (resources that rows of another type point to) into a type the caller may not search is
 *   a 403: it tells which of those rows exist. Over a type of several sources it keeps the sources
 *   the caller may search, and is a 403 when none is left.
 * - A chain filters on what the caller's own resources reference (the reference is in what he
 *   reads), so it needs no right on the target; the target's row security still applies.
 * Row security applies in the SQL of each reach (the scope of the definition reached).
 */
import type { Caller } from '../types.js';
import { allowed, authorize } from '../authorize.js';
import type { IncludeSpec, ParsedParam, Resolve, SearchRequest } from './parse.js';

export function withinRights(caller: Caller, resolve: Resolve, request: SearchRequest): SearchRequest {
  return {
    ...request,
    params: request.params.map((param) => checked(caller, param)),
    includes: includesWithinRights(caller, resolve, request.includes),
  };
}

export function includesWithinRights(caller: Caller, resolve: Resolve, includes: IncludeSpec[]): IncludeSpec[] {
  return includes.filter((spec) => {
    const reached = included(spec, resolve);
    return reached !== undefined && allowed(caller, reached, 'search-type');
  });
}

function checked(caller: Caller, param: ParsedParam): ParsedParam {
  switch (param.kind) {
    case 'simple':
      return param;
    case 'chain':
      return { ...param, inner: checked(caller, param.inner) };
    case 'has':
      authorize(caller, param.source, 'search-type');
      return { ...param, inner: checked(caller, param.inner) };
    case 'any': {
      const permitted = param.params.filter((branch) => branch.kind !== 'has' || allowed(caller, branch.source, 'search-type'));
      // None left: the refusal of the first branch says which right is missing.
      if (permitted.length === 0) return checked(caller, param.params[0]);
      return { ...param, params: permitted.map((branch) => checked(caller, branch)) };
    }
  }
}

/** The definition whose rows an include adds: the reference's target, or, reversed, its holder. */
function included(spec: IncludeSpec, resolve: Resolve) {
  return spec.reverse ? spec.source : resolve(spec.decl.target, spec.decl.targetSource);
}
