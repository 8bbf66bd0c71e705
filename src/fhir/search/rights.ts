/**
 * A search reaches other types through chains, `_has`, `_include` and `_revinclude`; each needs the
 * caller's search right on what it reaches, as the search itself needs it on its own type.
 * - A chain or `_has` into a type the caller may not search is a 403: leaving out a filter would
 *   change what the search means. `_has` over a type of several sources keeps the sources the
 *   caller may search (as a search of such a type does) and is a 403 when none is left.
 * - Resources the caller may not search are left out of `_include` / `_revinclude`, as a search of a
 *   type of several sources leaves out the sources the caller may not search.
 * Row security applies further down, in the SQL of each reach (scope of the definition reached).
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
      authorize(caller, param.target, 'search-type');
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
