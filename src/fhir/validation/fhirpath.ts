/**
 * FHIRPath invariants: compiled once with the `fhirpath` package (HL7/LHNCBC, R4 model) and
 * evaluated on an element of a resource with %resource / %rootResource set. An expression the
 * engine cannot compile is skipped and counted, never guessed.
 */
import fhirpath from 'fhirpath';
import r4Model from 'fhirpath/fhir-context/r4';

export interface Invariant {
  key: string;
  human: string;
  expression: string;
  /** The element path used as FHIRPath base (`Patient.contact`). */
  path: string;
  severity?: 'error' | 'warning';
}

type Evaluator = (value: unknown, env: Record<string, unknown>) => unknown[];

export interface InvariantStats {
  compiled: number;
  /** Invariants whose expression could not be compiled (by key and expression). */
  skipped: { key: string; expression: string; reason: string }[];
  /** Invariants whose evaluation threw on some resource (counted per key). */
  failedEvaluations: Record<string, number>;
}

export const invariantStats: InvariantStats = { compiled: 0, skipped: [], failedEvaluations: {} };

const cache = new Map<string, Evaluator | null>();

/**
 * Invariants the `fhirpath` engine evaluates wrongly on valid resources (checked against the R4
 * examples): que-7 (`answer is Boolean` is false for a FHIR boolean in a choice element).
 */
const MISEVALUATED = new Set(['que-7']);

/** Functions of FHIRPath the `fhirpath` engine does not implement (evaluation would throw). */
const UNSUPPORTED = /\b(htmlChecks|conformsTo|memberOf|subsumes|subsumedBy|resolve)\s*\(/;

export function compileInvariant(inv: Invariant): Evaluator | null {
  const cacheKey = `${inv.path}\u0000${inv.expression}`;
  if (cache.has(cacheKey)) return cache.get(cacheKey)!;
  let evaluator: Evaluator | null = null;
  try {
    if (UNSUPPORTED.test(inv.expression)) throw new Error('uses a function the FHIRPath engine does not implement');
    if (MISEVALUATED.has(inv.key)) throw new Error('evaluated wrongly by the FHIRPath engine on valid resources');
    // fhirpath.js wants a singleton before as(); R4's dom-3 applies it to descendants(): ofType() is what is meant.
    const expression = inv.expression.replace(/descendants\(\)\.as\(/g, 'descendants().ofType(');
    const options = { traceFn: () => undefined } as unknown as Parameters<typeof fhirpath.compile>[2];
    const fn = fhirpath.compile({ base: inv.path, expression }, r4Model, options) as unknown as Evaluator;
    evaluator = fn;
    invariantStats.compiled++;
  } catch (error) {
    invariantStats.skipped.push({ key: inv.key, expression: inv.expression, reason: (error as Error).message.split('\n')[0] });
  }
  cache.set(cacheKey, evaluator);
  return evaluator;
}

/**
 * true when the invariant holds (its expression is true or empty), false when it evaluates to
 * false, undefined when it could not be evaluated.
 */
export function checkInvariant(inv: Invariant, value: unknown, root: unknown): boolean | undefined {
  const evaluate = compileInvariant(inv);
  if (!evaluate) return undefined;
  try {
    const result = evaluate(value, { resource: root, rootResource: root });
    if (result.length === 0) return true;
    return !(result.length === 1 && result[0] === false);
  } catch {
    invariantStats.failedEvaluations[inv.key] = (invariantStats.failedEvaluations[inv.key] ?? 0) + 1;
    return undefined;
  }
}
