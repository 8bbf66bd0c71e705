/**
 * FHIR XML (http://hl7.org/fhir/R4/xml.html) for the engine: toXml writes a FHIR JSON resource as
 * XML, fromXml reads XML back into FHIR JSON. Both follow the R4 element model in ../model.
 */
export { toXml, FHIR_NS, XHTML_NS, type ToXmlOptions } from './write.js';
export { fromXml, type FromXmlOptions } from './parse.js';
export const FHIR_XML = 'application/fhir+xml';
