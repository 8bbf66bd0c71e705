/** The official FHIR R4 examples (npm hl7.fhir.r4.examples, JSON only), for the XML tests. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const EXAMPLES_DIR = dirname(createRequire(import.meta.url).resolve('hl7.fhir.r4.examples/package.json'));

let files: string[] | undefined;

/** File names of the examples of one resource type (the package names them Type-id.json); '' for all. */
export function examplesOf(type: string, maxBytes = Infinity): string[] {
  files ??= readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.json') && f !== 'package.json');
  return files.filter((f) => (!type || f.startsWith(`${type}-`)) && (maxBytes === Infinity || statSync(join(EXAMPLES_DIR, f)).size <= maxBytes));
}

export function readExample(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(EXAMPLES_DIR, file), 'utf8'));
}

/** The Narrative div with its insignificant differences (whitespace between tags, entity spelling) removed. */
export function normaliseDiv(div: string): string {
  return div
    .replace(/&quot;|&#34;|&#x22;/g, '"')
    .replace(/&apos;|&#39;|&#x27;/g, "'")
    .replace(/&#160;|&#xa0;/gi, '\u00a0')
    .replace(/>\s+</g, '><')
    .replace(/\s+/g, ' ')
    .trim();
}
