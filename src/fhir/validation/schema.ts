/**
 * Validation of any resource against the pristine FHIR R4 JSON schema with ajv.
 *
 * The schema is compiled once, lazily, one resource type at a time: the root `oneOf` over all 146
 * resource types (and its copy `ResourceList`, used by `contained`, `Bundle.entry.resource` and
 * `Parameters.parameter.resource`) is replaced by a keyword that dispatches on `resourceType` to that
 * type's own validator. That is what makes the errors precise — one issue per problem instead of
 * 146 oneOf branches — and keeps the first compile small. Three FHIR JSON rules the schema leaves
 * out are added: no empty arrays, no empty objects, at most one member of a choice element.
 *
 * ajv errors become OperationOutcome issues with a FHIRPath-like `expression`
 * (`Patient.name[0].given`) and a diagnostic a person can act on.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { createRequire } from 'node:module';
import type { Issue } from '../outcome.js';
import { SCHEMA_ID, choiceBase, choiceGroups, fhirJsonSchema, fhirPath, type JsonSchema } from './fhir-schema.js';

const require = createRequire(import.meta.url);

interface Compiled {
  ajv: Ajv;
  validators: Map<string, ValidateFunction>;
  /** definition object → its name, to name the FHIR type in diagnostics. */
  names: WeakMap<object, string>;
  resourceTypes: Set<string>;
}

let compiled: Compiled | undefined;

function compiler(): Compiled {
  if (compiled) return compiled;
  const { definitions, resourceTypes } = fhirJsonSchema();
  const definitionsCopy: Record<string, JsonSchema> = structuredClone(definitions);
  const names = new WeakMap<object, string>();
  for (const [name, def] of Object.entries(definitionsCopy)) {
    if (name === 'ResourceList') continue;
    names.set(def, name);
    const isResource = resourceTypes.has(name);
    if (def.properties) {
      // The schema leaves `type` out of complex types: a string would pass for a Reference.
      def.type ??= 'object';
      // ele-1 / FHIR JSON: an element has a value or children; a resource at least its resourceType.
      if (!isResource) def.minProperties = 1;
      const groups = choiceGroups(def);
      if (groups.length) def.fhirChoice = groups;
      for (const prop of Object.values(def.properties as Record<string, JsonSchema>)) {
        if (prop.type === 'array') prop.minItems = 1;
        // The schema was generated before 4.0.1: its FHIRVersion enums lack the version of R4 itself.
        const versions = (prop.type === 'array' ? prop.items : prop).enum as string[] | undefined;
        if (versions?.includes('4.0.0') && !versions.includes('4.0.1')) versions.push('4.0.1');
      }
    }
  }
  definitionsCopy.ResourceList = { fhirResource: true };

  const ajv = new Ajv({ allErrors: true, strict: false, verbose: true, meta: false, validateSchema: false, inlineRefs: true });
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json'));
  const state: Compiled = { ajv, validators: new Map(), names, resourceTypes };

  ajv.addKeyword({
    keyword: 'fhirResource',
    schemaType: 'boolean',
    errors: true,
    validate: function nested(_schema: boolean, data: unknown, _parent?: unknown, cxt?: { instancePath: string }) {
      const prefix = cxt?.instancePath ?? '';
      const type = (data as { resourceType?: unknown } | null)?.resourceType;
      const fail = (message: string, params: Record<string, unknown>) => {
        (nested as unknown as { errors: Partial<ErrorObject>[] }).errors = [{ instancePath: prefix, keyword: 'fhirResource', message, params }];
        return false;
      };
      if (typeof data !== 'object' || data === null || Array.isArray(data)) return fail('must be a resource (a JSON object with resourceType)', {});
      if (typeof type !== 'string') return fail('has no resourceType', {});
      if (!resourceTypes.has(type)) return fail(`resourceType "${type}" is not an R4 resource type`, { resourceType: type });
      const validate = validatorFor(state, type);
      if (validate(data)) return true;
      // ajv overwrites schemaPath and data of the errors a keyword returns: carry the originals in params.
      (nested as unknown as { errors: Partial<ErrorObject>[] }).errors = (validate.errors ?? []).map((e) => {
        const inner = unwrap(e);
        return { instancePath: prefix + inner.instancePath, keyword: 'fhirResource', params: { inner: { ...inner, instancePath: prefix + inner.instancePath } } };
      });
      return false;
    },
  });
  // key (and its `_key` twin) → index of its choice group, per definition: one lookup per present key.
  const choiceIndex = new WeakMap<string[][], Map<string, number>>();
  ajv.addKeyword({
    keyword: 'fhirChoice',
    schemaType: 'array',
    errors: true,
    validate: function choice(groups: string[][], data: unknown) {
      if (typeof data !== 'object' || data === null) return true;
      let index = choiceIndex.get(groups);
      if (!index) {
        index = new Map();
        groups.forEach((group, i) => group.forEach((name) => index!.set(name, i).set(`_${name}`, i)));
        choiceIndex.set(groups, index);
      }
      let seen: number | undefined;
      let clash = false;
      for (const key in data) {
        const group = index.get(key);
        if (group === undefined) continue;
        if (seen === undefined) seen = group;
        else {
          clash = true;
          break;
        }
      }
      if (!clash) return true;
      const errors: Partial<ErrorObject>[] = [];
      for (const group of groups) {
        const present = group.filter((name) => name in data || `_${name}` in data);
        if (present.length > 1) errors.push({ keyword: 'fhirChoice', message: 'choice', params: { present } });
      }
      (choice as unknown as { errors: Partial<ErrorObject>[] }).errors = errors;
      return errors.length === 0;
    },
  });
  ajv.addSchema({ $schema: 'http://json-schema.org/draft-06/schema#', $id: SCHEMA_ID, definitions: definitionsCopy });
  compiled = state;
  return state;
}

function validatorFor(state: Compiled, type: string): ValidateFunction {
  let validate = state.validators.get(type);
  if (!validate) {
    validate = state.ajv.getSchema(`${SCHEMA_ID}#/definitions/${type}`);
    if (!validate) throw new Error(`no schema definition for ${type}`);
    state.validators.set(type, validate);
  }
  return validate;
}

/** Compiles the validators of the given resource types now (at start-up) rather than on first use. */
export function warmUpSchema(types: string[]): void {
  const state = compiler();
  for (const type of types) if (state.resourceTypes.has(type)) validatorFor(state, type);
}

export function isResourceType(type: string): boolean {
  return fhirJsonSchema().resourceTypes.has(type);
}

/** Validates a resource against the R4 JSON schema; an empty list means it conforms. */
export function validateSchema(resource: unknown): Issue[] {
  if (typeof resource !== 'object' || resource === null || Array.isArray(resource)) {
    return [{ severity: 'error', code: 'structure', diagnostics: 'A resource must be a JSON object' }];
  }
  const type = (resource as { resourceType?: unknown }).resourceType;
  if (typeof type !== 'string') {
    return [{ severity: 'error', code: 'structure', diagnostics: 'The resource has no resourceType', expression: ['resourceType'] }];
  }
  const state = compiler();
  if (!state.resourceTypes.has(type)) {
    return [{ severity: 'error', code: 'not-supported', diagnostics: `"${type}" is not an R4 resource type`, expression: ['resourceType'] }];
  }
  const validate = validatorFor(state, type);
  if (validate(resource)) return [];
  return toIssues(state, type, validate.errors ?? []);
}

// ---------------------------------------------------------------------------------------------
// ajv errors → issues

const FORMATS: Record<string, string> = {
  date: 'a date YYYY, YYYY-MM or YYYY-MM-DD',
  dateTime: 'a dateTime YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm:ss+zz:zz',
  instant: 'an instant YYYY-MM-DDThh:mm:ss(.sss)+zz:zz with a time zone',
  time: 'a time hh:mm:ss',
  id: 'an id of 1 to 64 letters, digits, "-" and "."',
  code: 'a code without leading, trailing or double whitespace',
  uri: 'a uri without whitespace',
  url: 'a url without whitespace',
  canonical: 'a canonical URL without whitespace',
  oid: 'an oid urn:oid:1.2.3',
  uuid: 'a uuid urn:uuid:…',
  positiveInt: 'a positive integer',
  unsignedInt: 'a non-negative integer',
  integer: 'an integer',
  decimal: 'a decimal',
  base64Binary: 'base64 data',
  string: 'a non-empty string (without non-breaking spaces or control characters)',
  markdown: 'non-empty markdown (without non-breaking spaces or control characters)',
  boolean: 'true or false',
};

const JSON_TYPES: Record<string, string> = {
  string: 'a JSON string',
  number: 'a JSON number',
  integer: 'a JSON integer',
  boolean: 'a JSON boolean, unquoted',
  object: 'a JSON object',
  array: 'a JSON array (the element repeats)',
};

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value);
  return `${typeof value} ${text.length > 60 ? `${text.slice(0, 57)}…` : text}`;
}

/** The FHIR type an error is about: the definition in the schema path, the parent schema, or the choice suffix. */
function fhirTypeOf(state: Compiled, error: ErrorObject): string | undefined {
  const match = /#\/definitions\/([A-Za-z_]+)\//.exec(error.schemaPath);
  if (match) return match[1];
  if (error.parentSchema) {
    const named = state.names.get(error.parentSchema as object);
    if (named) return named;
  }
  const key = error.instancePath.split('/').pop() ?? '';
  const choice = /[a-z]((?:[A-Z][a-z]+)+)$/.exec(key);
  if (choice) return choice[1][0].toLowerCase() + choice[1].slice(1);
  return undefined;
}

/** Errors of contained resources travel wrapped in params.inner (see the fhirResource keyword). */
function unwrap(error: ErrorObject): ErrorObject {
  let current = error;
  while (current.keyword === 'fhirResource' && (current.params as { inner?: ErrorObject }).inner) {
    current = (current.params as { inner: ErrorObject }).inner;
  }
  return current;
}

function toIssues(state: Compiled, type: string, wrapped: ErrorObject[]): Issue[] {
  const errors = wrapped.map(unwrap);
  const issues: Issue[] = [];
  const seen = new Set<string>();
  // A wrong JSON type makes further checks of the same value meaningless.
  const typeErrorPaths = new Set(errors.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  for (const error of errors) {
    if (error.keyword !== 'type' && typeErrorPaths.has(error.instancePath)) continue;
    const issue = toIssue(state, type, error);
    if (!issue) continue;
    const key = `${issue.expression?.[0]}\u0000${issue.diagnostics}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(issue);
  }
  return issues;
}

function toIssue(state: Compiled, type: string, error: ErrorObject): Issue | undefined {
  const path = fhirPath(type, error.instancePath);
  const params = error.params as Record<string, unknown>;
  const issue = (code: Issue['code'], diagnostics: string, expression = path): Issue => ({
    severity: 'error',
    code,
    diagnostics,
    expression: [expression],
  });
  switch (error.keyword) {
    case 'additionalProperties': {
      const property = String(params.additionalProperty);
      const owner = fhirTypeOf(state, error);
      const hint = property === 'resourceType' ? ' (only resources have a resourceType)' : '';
      return issue('structure', `${path}.${property}: unknown element${owner ? ` for ${owner.replace('_', '.')}` : ''}${hint}`, `${path}.${property}`);
    }
    case 'required': {
      const property = String(params.missingProperty);
      return issue('required', `${path}.${property}: required element is missing`, `${path}.${property}`);
    }
    case 'type': {
      const expected = String(params.type);
      const fhirType = fhirTypeOf(state, error);
      const what = fhirType && FORMATS[fhirType] && expected !== 'array' ? `${FORMATS[fhirType]} (${JSON_TYPES[expected] ?? expected})` : (JSON_TYPES[expected] ?? expected);
      const named = fhirType && !FORMATS[fhirType] && expected === 'object' ? `a ${fhirType.replace('_', '.')} (JSON object)` : what;
      return issue('structure', `${path}: must be ${named}, not ${describe(error.data)}`);
    }
    case 'pattern': {
      const fhirType = fhirTypeOf(state, error);
      const format = fhirType ? FORMATS[fhirType] : undefined;
      return issue('value', `${path}: ${describe(error.data)} is not ${format ?? `valid (pattern ${String(params.pattern)})`}`);
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      return { ...issue('code-invalid', `${path}: ${describe(error.data)} is not one of ${allowed.join(', ')}`) };
    }
    case 'const':
      if (error.instancePath.endsWith('/resourceType') || error.instancePath === '') {
        return issue('structure', `${path}: must be "${String(params.allowedValue)}"`);
      }
      return issue('value', `${path}: must be ${JSON.stringify(params.allowedValue)}`);
    case 'minItems':
      return issue('structure', `${path}: an array must not be empty (leave the element out instead)`);
    case 'minProperties':
      return issue('structure', `${path}: an element must not be empty (leave it out instead)`);
    case 'fhirChoice': {
      const present = params.present as string[];
      return issue('structure', `${path}: only one of ${present.join(', ')} may be present (they are one choice element)`, `${path}.${choiceBase(present[0])}`);
    }
    case 'fhirResource':
      return issue('structure', `${path}: ${error.message ?? 'invalid resource'}`);
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
    case 'maxLength':
    case 'minLength':
      return issue('value', `${path}: ${describe(error.data)} ${error.message ?? 'is out of range'}`);
    default:
      return issue('invalid', `${path}: ${error.message ?? error.keyword}`);
  }
}
