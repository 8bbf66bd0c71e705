/**
 * FHIR XML → FHIR JSON (http://hl7.org/fhir/R4/xml.html), safely: no DTD (so no entity expansion
 * and no external entities), bounded size and depth, and every departure from FHIR XML reported as
 * a 400 FhirError naming the element and its line. The element model gives what XML does not say:
 * which elements repeat (JSON arrays), which primitives are booleans and numbers, where choice
 * elements and resources are.
 *
 * Tokenising is saxes's (a small, conformant, non-validating XML parser that never reads a DTD and
 * knows only the five predefined entities); everything FHIR is done here.
 */
import { SaxesParser, type SaxesAttributeNS } from 'saxes';
import { elementsOf, isResourceKind, isResourceType, primitiveJson, propertiesOf } from '../model/index.js';
import type { PropertyInfo } from '../model/index.js';
import { FhirError } from '../outcome.js';
import { FHIR_NS, XHTML_NS } from './write.js';

export interface FromXmlOptions {
  /** Largest document accepted, in characters; default 16 Mi. Larger → 413. */
  maxLength?: number;
  /** Deepest element nesting accepted (XHTML included); default 200. */
  maxDepth?: number;
  /**
   * Refuse elements out of StructureDefinition order (FHIR XML requires the order; by default it is
   * not enforced, as JSON carries no order and nothing is lost).
   */
  strictOrder?: boolean;
}

const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';
const XML_NS = 'http://www.w3.org/XML/1998/namespace';

interface XNode {
  local: string;
  prefix: string;
  uri: string;
  attributes: Record<string, SaxesAttributeNS>;
  /** Child elements; in XHTML also the text, in order. */
  content: (XNode | string)[];
  xhtml: boolean;
  line: number;
  column: number;
  /** Offsets of the element in the source, from its '<' to after its end tag. */
  start: number;
  end: number;
}

const bad = (diagnostics: string, expression?: string) =>
  new FhirError(400, { code: 'structure', diagnostics, ...(expression ? { expression: [expression] } : {}) });

const at = (node: XNode) => `line ${node.line}, column ${node.column}`;
const qname = (node: { prefix: string; local: string }) => (node.prefix ? `${node.prefix}:${node.local}` : node.local);
const elements = (node: XNode) => node.content.filter((c): c is XNode => typeof c !== 'string');

/** XML text → element tree, refusing DTDs, non-whitespace text outside XHTML, and over-deep or over-long input. */
function parseTree(source: string, maxDepth: number): XNode {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: XNode[] = [];
  let root: XNode | undefined;
  parser.on('error', (e) => {
    const m = /^(\d+):(\d+): (.*)$/s.exec(e.message);
    throw bad(m ? `Malformed XML at line ${m[1]}, column ${Number(m[2]) + 1}: ${m[3]}` : `Malformed XML: ${e.message}`);
  });
  parser.on('doctype', () => {
    throw bad(`A DOCTYPE (DTD) is not allowed in FHIR XML (line ${parser.line})`);
  });
  parser.on('opentagstart', (tag) => {
    if (stack.length >= maxDepth) throw bad(`XML nested deeper than ${maxDepth} elements (line ${parser.line})`);
    const start = source.lastIndexOf('<', parser.position - 1);
    const parent = stack[stack.length - 1];
    const node: XNode = {
      local: tag.name,
      prefix: '',
      uri: '',
      attributes: {},
      content: [],
      xhtml: parent?.xhtml ?? false,
      line: parser.line,
      column: Math.max(1, parser.column - (parser.position - start) + 1),
      start,
      end: start,
    };
    if (parent) parent.content.push(node);
    else root = node;
    stack.push(node);
  });
  parser.on('opentag', (tag) => {
    const node = stack[stack.length - 1];
    node.local = tag.local;
    node.prefix = tag.prefix;
    node.uri = tag.uri;
    node.attributes = tag.attributes;
    if (tag.uri === XHTML_NS) node.xhtml = true;
  });
  parser.on('closetag', () => {
    const node = stack.pop()!;
    node.end = parser.position;
  });
  const onText = (text: string) => {
    const node = stack[stack.length - 1];
    if (!node) return; // whitespace around the root; anything else is a saxes error
    if (node.xhtml) node.content.push(text);
    else if (/[^ \t\r\n]/.test(text)) {
      throw bad(`Text content is not allowed in FHIR element <${qname(node)}> (${at(node)}); values go in value attributes`);
    }
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.write(source).close();
  if (!root) throw bad('The XML document has no root element');
  return root;
}

let extensionProperty: PropertyInfo | undefined;

class Reader {
  constructor(
    private readonly source: string,
    private readonly strictOrder: boolean,
  ) {}

  /** Attributes a FHIR element may carry besides `allowed`: namespace declarations and foreign attributes (xsi:…). */
  private attributes(node: XNode, allowed: readonly string[], path: string): Record<string, string> {
    const found: Record<string, string> = {};
    for (const a of Object.values(node.attributes)) {
      if (a.uri === XMLNS_NS || (a.uri !== '' && a.uri !== FHIR_NS)) continue;
      if (a.uri === '' && allowed.includes(a.local)) {
        if (a.value === '') throw bad(`Attribute ${a.local} of <${qname(node)}> is empty (${at(node)}); FHIR values are never empty`, path);
        found[a.local] = a.value;
        continue;
      }
      throw bad(`Unknown attribute '${a.name}' on <${qname(node)}> at ${path} (${at(node)})`, path);
    }
    return found;
  }

  resource(node: XNode, path: string): Record<string, unknown> {
    if (node.uri !== FHIR_NS) {
      throw bad(
        node.uri
          ? `<${qname(node)}> is in namespace '${node.uri}', not the FHIR namespace ${FHIR_NS} (${at(node)})`
          : `<${qname(node)}> is in no namespace; FHIR XML requires xmlns="${FHIR_NS}" (${at(node)})`,
        path,
      );
    }
    if (!isResourceType(node.local)) throw bad(`<${node.local}> is not a FHIR R4 resource type (${at(node)})`, path);
    this.attributes(node, [], path);
    const resource: Record<string, unknown> = { resourceType: node.local };
    this.fill(resource, node, node.local, path);
    return resource;
  }

  /** Reads the child elements of `node` as the properties of a `type` value into `target`. */
  private fill(target: Record<string, unknown>, node: XNode, type: string, path: string) {
    const props = propertiesOf(type);
    const found = new Map<string, { values: unknown[]; exts: (Record<string, unknown> | null)[] }>();
    const choices = new Map<string, string>();
    let last: { name: string; order: number } | undefined;
    for (const child of elements(node)) {
      const name = child.local;
      if (child.uri !== FHIR_NS) {
        if (child.xhtml && props.get(name)?.type === 'xhtml') {
          // fine: the narrative div
        } else {
          throw bad(
            `Element <${qname(child)}> ${child.uri ? `in namespace '${child.uri}'` : 'in no namespace'} is not allowed in ${path} (${at(child)})`,
            path,
          );
        }
      }
      const prop = props.get(name);
      if (!prop || prop.element.xmlAttr) throw bad(`Unknown element '${name}' in ${path} (${at(child)})`, `${path}.${name}`);
      const childPath = `${path}.${name}`;
      if (this.strictOrder) {
        if (last && prop.order < last.order) {
          throw bad(`Element '${name}' is out of order in ${path}: it must come before '${last.name}' (${at(child)})`, childPath);
        }
        last = { name, order: prop.order };
      }
      if (prop.element.choice) {
        const other = choices.get(prop.element.name);
        if (other && other !== name) {
          throw bad(`${path} has both ${other} and ${name}; ${prop.element.name}[x] takes one type (${at(child)})`, childPath);
        }
        choices.set(prop.element.name, name);
      }
      let entry = found.get(name);
      if (entry && !prop.element.isArray) throw bad(`Element '${name}' may appear only once in ${path} (${at(child)})`, childPath);
      if (!entry) found.set(name, (entry = { values: [], exts: [] }));
      const [value, ext] = this.value(child, prop, childPath);
      entry.values.push(value);
      entry.exts.push(ext);
    }
    const names = [...found.keys()];
    if (names.length > 1) names.sort((a, b) => props.get(a)!.order - props.get(b)!.order);
    for (const name of names) {
      const entry = found.get(name)!;
      const hasValue = entry.values.some((v) => v !== null);
      const hasExt = entry.exts.some((e) => e !== null);
      if (props.get(name)!.element.isArray) {
        if (hasValue) target[name] = entry.values;
        if (hasExt) target[`_${name}`] = entry.exts;
      } else {
        if (hasValue) target[name] = entry.values[0];
        if (hasExt) target[`_${name}`] = entry.exts[0];
      }
    }
  }

  /** One element's value; for a primitive also its id/extensions (the JSON `_name`). */
  private value(node: XNode, prop: PropertyInfo, path: string): [unknown, Record<string, unknown> | null] {
    const type = prop.type;
    const json = primitiveJson(type);
    if (json === 'xhtml') return [this.div(node, path), null];
    if (node.uri !== FHIR_NS) throw bad(`Element <${qname(node)}> is not in the FHIR namespace (${at(node)})`, path);
    if (json) return this.primitive(node, type, json, path);
    if (isResourceKind(type)) {
      this.attributes(node, [], path);
      const inner = elements(node);
      if (inner.length !== 1) {
        throw bad(`<${node.local}> at ${path} must hold exactly one resource element, found ${inner.length} (${at(node)})`, path);
      }
      return [this.resource(inner[0], `${path}.${inner[0].local}`), null];
    }
    const attrNames = elementsOf(type).filter((e) => e.xmlAttr).map((e) => e.name);
    const value: Record<string, unknown> = { ...this.attributes(node, attrNames, path) };
    this.fill(value, node, type, path);
    if (Object.keys(value).length === 0) throw bad(`Element '${node.local}' in ${path.slice(0, path.lastIndexOf('.'))} is empty (${at(node)}); FHIR elements have content`, path);
    return [value, null];
  }

  private primitive(node: XNode, type: string, json: string, path: string): [unknown, Record<string, unknown> | null] {
    const attrs = this.attributes(node, ['value', 'id'], path);
    const ext: Record<string, unknown> = {};
    if (attrs.id !== undefined) ext.id = attrs.id;
    const extensions: unknown[] = [];
    for (const child of elements(node)) {
      if (child.uri !== FHIR_NS || child.local !== 'extension') {
        throw bad(`Unknown element '${qname(child)}' in ${path} (${at(child)}); a primitive holds only extensions`, path);
      }
      extensions.push(this.value(child, (extensionProperty ??= propertiesOf('Element').get('extension')!), `${path}.extension`)[0]);
    }
    if (extensions.length) ext.extension = extensions;
    const text = attrs.value;
    if (text === undefined && !extensions.length && attrs.id === undefined) {
      throw bad(`Element '${node.local}' in ${path.slice(0, path.lastIndexOf('.'))} has neither a value nor extensions (${at(node)})`, path);
    }
    const value = text === undefined ? null : this.convert(text, type, json, node, path);
    return [value, Object.keys(ext).length ? ext : null];
  }

  private convert(text: string, type: string, json: string, node: XNode, path: string): unknown {
    const invalid = (what: string) => bad(`Invalid ${type} '${text}' in ${path} (${at(node)}): ${what}`, path);
    switch (json) {
      case 'boolean':
        if (text === 'true') return true;
        if (text === 'false') return false;
        throw invalid('a boolean is true or false');
      case 'integer': {
        if (!/^-?(0|[1-9][0-9]*)$/.test(text)) throw invalid('not an integer');
        const n = Number(text);
        if (n > 2147483647 || n < -2147483648) throw invalid('outside the 32-bit range of FHIR integers');
        if (type === 'positiveInt' && n < 1) throw invalid('must be 1 or more');
        if (type === 'unsignedInt' && n < 0) throw invalid('must be 0 or more');
        return n;
      }
      case 'decimal': {
        if (!/^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/.test(text)) throw invalid('not a decimal');
        const n = Number(text);
        if (!Number.isFinite(n)) throw invalid('out of range');
        return n;
      }
      default:
        return text;
    }
  }

  /** The Narrative div: its source text as is when it stands alone, else re-serialised. */
  private div(node: XNode, path: string): string {
    if (node.uri !== XHTML_NS || node.local !== 'div') {
      throw bad(`${path} must be an XHTML <div> in namespace ${XHTML_NS}, found <${qname(node)}> (${at(node)})`, path);
    }
    const declaresXhtml = node.prefix === '' && Object.values(node.attributes).some((a) => a.uri === XMLNS_NS && a.prefix === '' && a.value === XHTML_NS);
    if (declaresXhtml && selfContained(node, new Set())) return this.source.slice(node.start, node.end);
    return serialise(node, '', true);
  }
}

/** Whether every prefix used inside an XHTML subtree is declared inside it (so its source text stands alone). */
function selfContained(node: XNode, declared: Set<string>): boolean {
  const inner = new Set(declared);
  for (const a of Object.values(node.attributes)) if (a.prefix === 'xmlns') inner.add(a.local);
  const ok = (prefix: string) => prefix === '' || prefix === 'xml' || prefix === 'xmlns' || inner.has(prefix);
  if (!ok(node.prefix) || !Object.values(node.attributes).every((a) => ok(a.prefix))) return false;
  return elements(node).every((c) => selfContained(c, inner));
}

const escapeText = (s: string) => s.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
const escapeAttr = (s: string) =>
  s.replace(/[&<"\t\n\r]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '"': '&quot;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' })[c]!);

/** XHTML subtree → standalone XHTML text, XHTML elements unprefixed, other namespaces declared where used. */
function serialise(node: XNode, defaultNs: string, root: boolean): string {
  let name: string;
  const decls: string[] = [];
  let ns = defaultNs;
  if (node.uri === XHTML_NS || node.prefix === '') {
    name = node.local;
    if (node.uri !== defaultNs || root) {
      decls.push(` xmlns="${escapeAttr(node.uri)}"`);
      ns = node.uri;
    }
  } else {
    name = `${node.prefix}:${node.local}`;
    decls.push(` xmlns:${node.prefix}="${escapeAttr(node.uri)}"`);
  }
  const attrs: string[] = [];
  for (const a of Object.values(node.attributes)) {
    if (a.uri === XMLNS_NS) continue;
    if (a.uri === '' || a.uri === XML_NS) attrs.push(` ${a.uri ? `xml:${a.local}` : a.local}="${escapeAttr(a.value)}"`);
    else {
      if (!decls.some((d) => d.startsWith(` xmlns:${a.prefix}=`))) decls.push(` xmlns:${a.prefix}="${escapeAttr(a.uri)}"`);
      attrs.push(` ${a.prefix}:${a.local}="${escapeAttr(a.value)}"`);
    }
  }
  const open = `<${name}${decls.join('')}${attrs.join('')}`;
  if (!node.content.length) return `${open}/>`;
  const inner = node.content.map((c) => (typeof c === 'string' ? escapeText(c) : serialise(c, ns, false))).join('');
  return `${open}>${inner}</${name}>`;
}

/**
 * Parses a FHIR XML resource into FHIR JSON. Throws a FhirError: 400 for malformed XML, a DTD,
 * excessive nesting or anything that is not FHIR XML (wrong namespace, unknown element or
 * attribute, bad primitive value, repeated single element, text content); 413 for a document
 * longer than maxLength.
 */
export function fromXml(text: string, opts: FromXmlOptions = {}): Record<string, unknown> {
  const maxLength = opts.maxLength ?? 16 * 1024 * 1024;
  if (typeof text !== 'string') throw bad('The body is not XML text');
  if (text.length > maxLength) {
    throw new FhirError(413, { code: 'too-long', diagnostics: `The XML document is longer than ${maxLength} characters` });
  }
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const root = parseTree(source, opts.maxDepth ?? 200);
  return new Reader(source, opts.strictOrder === true).resource(root, root.local);
}
