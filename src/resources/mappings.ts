/**
 * Code mappings between legacy values and FHIR codes, kept as data in mappings/*.json so that
 * implementers can read and adapt them. Used in both directions; an unknown code is an error that
 * names the element, never a silent default.
 */
import { readFileSync } from 'node:fs';
import type { Coding } from 'fhir/r4.js';
import { unprocessable } from '../fhir/outcome.js';
import { projectFile } from '../paths.js';

interface MappingFile {
  system: string;
  element: string;
  codes: { legacy: string | number; fhir: string; display: string }[];
}

export interface CodeMapping {
  system: string;
  /** Legacy value → FHIR coding; undefined for empty legacy values. */
  toCoding(legacy: unknown): Coding | undefined;
  toCode(legacy: unknown): string | undefined;
  /** FHIR code → legacy value; throws a 422 naming the element for unknown codes. */
  toLegacy(code: string, element?: string): string | number;
  fhirCodes(): string[];
  /** FHIR code → legacy value, as a search token map. */
  searchMap(): Record<string, string | number>;
  /** FHIR code → display, for `:text` searches on the token. */
  displays(): Record<string, string>;
}

export function loadMapping(name: string): CodeMapping {
  const file: MappingFile = JSON.parse(readFileSync(projectFile('mappings', `${name}.json`), 'utf8'));
  const byLegacy = new Map(file.codes.map((c) => [String(c.legacy), c]));
  const byFhir = new Map(file.codes.map((c) => [c.fhir, c]));
  return {
    system: file.system,
    toCoding(legacy) {
      if (legacy === null || legacy === undefined || legacy === '') return undefined;
      const code = byLegacy.get(String(legacy).trim());
      return code ? { system: file.system, code: code.fhir, display: code.display } : undefined;
    },
    toCode(legacy) {
      return this.toCoding(legacy)?.code;
    },
    toLegacy(code, element = file.element) {
      const entry = byFhir.get(code);
      if (!entry) {
        throw unprocessable(`${element}: unknown code "${code}"; expected one of ${[...byFhir.keys()].join(', ')}`, [element]);
      }
      return entry.legacy;
    },
    fhirCodes: () => [...byFhir.keys()],
    searchMap: () => Object.fromEntries(file.codes.map((c) => [c.fhir, c.legacy])),
    // The first display of a FHIR code (many-to-one mappings repeat it).
    displays: () => Object.fromEntries([...file.codes].reverse().map((c) => [c.fhir, c.display])),
  };
}
