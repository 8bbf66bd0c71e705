/**
 * FHIR JSON → FHIR XML (http://hl7.org/fhir/R4/xml.html), driven by the element model: elements in
 * StructureDefinition order, primitives as `value` attributes with their `_name` id/extensions,
 * Element.id and Extension.url as attributes, resources wrapped in an element named after their type,
 * the Narrative div copied verbatim as XHTML.
 */
import { SaxesParser } from 'saxes';
import { elementsOf, isPrimitive, isResourceKind, isResourceType, primitiveJson, propertiesOf } from '../model/index.js';
import { FhirError } from '../outcome.js';

export const FHIR_NS = 'http://hl7.org/fhir';
export const XHTML_NS = 'http://www.w3.org/1999/xhtml';

export interface ToXmlOptions {
  /** Indent with two spaces, one element a line (the Narrative div is kept as it is). */
  pretty?: boolean;
  /** Start with `<?xml version="1.0" encoding="UTF-8"?>`; default true. */
  declaration?: boolean;
}

/** A resource that cannot be written: a server-side fault, reported as a 500 OperationOutcome. */
const cannotWrite = (path: string, why: string) =>
  new FhirError(500, { code: 'exception', diagnostics: `Cannot write ${path} as FHIR XML: ${why}`, expression: [path] });

// XML 1.0 Char: no C0 controls but tab/LF/CR, no lone surrogates, no U+FFFE/U+FFFF.
// eslint-disable-next-line no-control-regex
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const ATTR_ESCAPES: Record<string, string> = {
  '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;',
};

// Cheap first tests: most values hold no control character, surrogate or character to escape.
// eslint-disable-next-line no-control-regex
const MAYBE_NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;
const TO_ESCAPE = /[&<>"\t\n\r]/;

function attr(value: string, path: string): string {
  if (MAYBE_NOT_XML_CHAR.test(value) && NOT_XML_CHAR.test(value)) throw cannotWrite(path, 'the value holds a character that XML 1.0 cannot carry');
  return TO_ESCAPE.test(value) ? value.replace(/[&<>"\t\n\r]/g, (c) => ATTR_ESCAPES[c]) : value;
}

const DECIMAL = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/;

function primitiveText(value: unknown, type: string, path: string): string {
  switch (typeof value) {
    case 'string':
      // A decimal kept as its lexical form (e.g. by a lossless JSON parser) is written as it is.
      if (primitiveJson(type) === 'decimal' && !DECIMAL.test(value)) throw cannotWrite(path, `'${value}' is not a decimal`);
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw cannotWrite(path, `${value} is not a number FHIR can carry`);
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      throw cannotWrite(path, `expected a ${type} value, found ${value === null ? 'null' : typeof value}`);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses an XHTML fragment: the namespace and local name of its root, or the reason it is not well-formed. */
function checkXhtml(text: string): { uri: string; local: string } | string {
  const parser = new SaxesParser({ xmlns: true, position: false });
  let depth = 0;
  let root: { uri: string; local: string } | undefined;
  let problem: string | undefined;
  parser.on('error', (e) => {
    problem ??= e.message;
  });
  parser.on('doctype', () => {
    problem ??= 'a DOCTYPE is not allowed';
  });
  parser.on('opentag', (tag) => {
    if (depth++ === 0) root = { uri: tag.uri, local: tag.local };
  });
  parser.on('closetag', () => {
    depth--;
  });
  try {
    parser.write(text).close();
  } catch (e) {
    problem ??= (e as Error).message;
  }
  return problem ?? root ?? 'it is empty';
}

/**
 * The Narrative div as it goes into the XML: the JSON string itself, checked to be a well-formed
 * XHTML <div> (else the whole document would be broken), with the XHTML namespace declared on it
 * when the JSON forgot it.
 */
function xhtmlDiv(div: unknown, path: string): string {
  if (typeof div !== 'string') throw cannotWrite(path, 'the narrative div must be a string of XHTML');
  let text = div;
  let root = checkXhtml(text);
  if (typeof root !== 'string' && root.uri === '' && root.local === 'div') {
    const at = text.indexOf('<div') + 4;
    text = `${text.slice(0, at)} xmlns="${XHTML_NS}"${text.slice(at)}`;
    root = checkXhtml(text);
  }
  if (typeof root === 'string') throw cannotWrite(path, `the narrative div is not well-formed XHTML: ${root}`);
  if (root.uri !== XHTML_NS || root.local !== 'div') throw cannotWrite(path, 'the narrative must be an XHTML <div> element');
  return text;
}

class Writer {
  // One string grown by concatenation: V8 joins the pieces once, when text() reads it.
  private out = '';
  constructor(private readonly pretty: boolean) {}

  text() {
    return this.out;
  }

  private line(level: number) {
    if (this.pretty) this.out += (level === 0 && this.out === '' ? '' : '\n') + '  '.repeat(level);
  }

  resource(resource: unknown, path: string, level: number, root: boolean) {
    if (!isObject(resource)) throw cannotWrite(path, 'a resource must be a JSON object');
    const type = resource.resourceType;
    if (typeof type !== 'string' || !isResourceType(type)) {
      throw cannotWrite(path, `resourceType ${JSON.stringify(type)} is not an R4 resource type`);
    }
    const names = this.members(resource, type, path, true);
    this.line(level);
    this.out += '<' + type + (root ? ` xmlns="${FHIR_NS}"` : '');
    if (names.length) {
      this.out += '>';
      this.children(resource, type, names, path, level + 1);
      this.line(level);
      this.out += '</' + type + '>';
    } else {
      this.out += '/>';
    }
  }

  /**
   * The child elements of a complex value (not its attributes), in model order, in one pass over
   * its keys that also refuses properties the type does not have, and `_name` where FHIR XML has
   * no place for it. None: the element is empty but for its attributes.
   */
  private members(value: Record<string, unknown>, type: string, path: string, isResource: boolean): string[] {
    const props = propertiesOf(type);
    const names: string[] = [];
    for (const key of Object.keys(value)) {
      if (isResource && key === 'resourceType') continue;
      const underscore = key.charCodeAt(0) === 95; /* _ */
      const name = underscore ? key.slice(1) : key;
      const prop = props.get(name);
      if (!prop) throw cannotWrite(`${path}.${name}`, `${type} has no element ${name}`);
      if (underscore && (!isPrimitive(prop.type) || prop.element.xmlAttr)) {
        throw cannotWrite(`${path}.${key}`, `${name} cannot carry an id or extensions`);
      }
      if (!prop.element.xmlAttr && (!underscore || value[name] === undefined)) names.push(name);
    }
    if (names.length > 1) names.sort((a, b) => props.get(a)!.order - props.get(b)!.order);
    return names;
  }

  private children(value: Record<string, unknown>, type: string, names: string[], path: string, level: number) {
    const props = propertiesOf(type);
    for (const name of names) this.element(value, name, props.get(name)!.type, path, level);
  }

  private element(parent: Record<string, unknown>, name: string, type: string, path: string, level: number) {
    const value = parent[name];
    const ext = isPrimitive(type) ? parent[`_${name}`] : undefined;
    if (value === undefined && ext === undefined) return;
    const childPath = `${path}.${name}`;
    if (Array.isArray(value) || Array.isArray(ext)) {
      const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
      const exts = Array.isArray(ext) ? ext : ext === undefined ? [] : [ext];
      if (value !== undefined && ext !== undefined && values.length !== exts.length) {
        throw cannotWrite(childPath, `${name} and _${name} have different lengths`);
      }
      const count = Math.max(values.length, exts.length);
      for (let i = 0; i < count; i++) this.value(name, type, values[i], exts[i], `${childPath}[${i}]`, level);
    } else {
      this.value(name, type, value, ext, childPath, level);
    }
  }

  private value(name: string, type: string, value: unknown, ext: unknown, path: string, level: number) {
    if (isPrimitive(type)) {
      if (type === 'xhtml') {
        if (value == null) throw cannotWrite(path, 'the narrative div is missing');
        this.line(level);
        this.out += xhtmlDiv(value, path);
        return;
      }
      if (value == null && ext == null) throw cannotWrite(path, 'neither a value nor extensions');
      if (ext != null && !isObject(ext)) throw cannotWrite(path, `_${name} must be an object`);
      const extra = ext ? Object.keys(ext).find((k) => k !== 'id' && k !== 'extension') : undefined;
      if (extra) throw cannotWrite(path, `_${name} may only carry id and extension, not ${extra}`);
      this.line(level);
      this.out += '<' + name;
      if (ext?.id !== undefined) this.out += ' id="' + attr(primitiveText(ext.id, 'string', path), path) + '"';
      if (value != null) this.out += ' value="' + attr(primitiveText(value, type, path), path) + '"';
      const extensions = ext?.extension;
      if (extensions === undefined) {
        this.out += '/>';
        return;
      }
      this.out += '>';
      const list = Array.isArray(extensions) ? extensions : [extensions];
      list.forEach((e, i) => this.value('extension', 'Extension', e, undefined, `${path}.extension[${i}]`, level + 1));
      this.line(level);
      this.out += '</' + name + '>';
      return;
    }
    if (value === null || value === undefined) throw cannotWrite(path, 'null is not a value');
    if (isResourceKind(type)) {
      this.line(level);
      this.out += '<' + name + '>';
      this.resource(value, path, level + 1, false);
      this.line(level);
      this.out += '</' + name + '>';
      return;
    }
    if (!isObject(value)) throw cannotWrite(path, `expected a ${type} object, found ${Array.isArray(value) ? 'an array' : typeof value}`);
    const names = this.members(value, type, path, false);
    this.line(level);
    this.out += '<' + name;
    for (const e of elementsOf(type)) {
      if (!e.xmlAttr || value[e.name] === undefined) continue;
      this.out += ' ' + e.name + '="' + attr(primitiveText(value[e.name], e.types[0], `${path}.${e.name}`), path) + '"';
    }
    if (names.length) {
      this.out += '>';
      this.children(value, type, names, path, level + 1);
      this.line(level);
      this.out += '</' + name + '>';
    } else {
      this.out += '/>';
    }
  }
}

/** Serialises a FHIR JSON resource as FHIR XML. Throws a 500 FhirError for what FHIR XML cannot carry. */
export function toXml(resource: object, opts: ToXmlOptions = {}): string {
  const writer = new Writer(opts.pretty === true);
  writer.resource(resource, String((resource as { resourceType?: unknown }).resourceType ?? 'resource'), 0, true);
  const body = writer.text() + (opts.pretty ? '\n' : '');
  return opts.declaration === false ? body : `<?xml version="1.0" encoding="UTF-8"?>${opts.pretty ? '\n' : ''}${body}`;
}
