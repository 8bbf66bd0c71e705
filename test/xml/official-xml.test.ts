/**
 * XML → JSON against the official R4 XML examples. The npm package hl7.fhir.r4.examples carries the
 * JSON examples only, so the XML ones come from the specification's download (examples.zip of
 * http://hl7.org/fhir/R4/downloads.html, unzipped): set FHIR_R4_XML_EXAMPLES to that directory.
 * Each XML example whose JSON twin (same type and id) is in the package must parse to it, narrative
 * whitespace and entity spelling aside (the two were serialised separately). Without the variable
 * this file only checks itself on an example written here.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { fromXml } from '../../src/fhir/xml/index.js';
import { EXAMPLES_DIR, normaliseDiv } from './examples.js';

/** The resource with every Narrative div normalised, for comparison. */
function comparable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(comparable);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, k === 'div' && typeof v === 'string' ? normaliseDiv(v) : comparable(v)]),
  );
}

/** Parses one XML example and compares it with its JSON twin; false when the package has no twin. */
function check(t: Test, file: string, xml: string): boolean {
  const json = fromXml(xml, { maxLength: 64 * 1024 * 1024 }) as { resourceType: string; id?: string };
  const twin = join(EXAMPLES_DIR, `${json.resourceType}-${json.id}.json`);
  if (!json.id || !existsSync(twin)) return false;
  t.strictSame(comparable(json), comparable(JSON.parse(readFileSync(twin, 'utf8'))), file);
  return true;
}

t.test('the comparison itself, on an example written like the specification writes them', async (t) => {
  const xml = `<?xml version="1.0" encoding="UTF-8"?><Coverage xmlns="http://hl7.org/fhir">
  <id value="7546D"/>
  <text>
    <status value="generated"/>
    <div xmlns="http://www.w3.org/1999/xhtml">A human-readable rendering of the coverage</div>
  </text>
  <identifier>
    <system value="http://xyz.com/codes/identifier"/>
    <value value="AB98761"/>
  </identifier>
  <status value="active"/>
  <type>
    <coding>
      <system value="http://terminology.hl7.org/CodeSystem/v3-ActCode"/>
      <code value="EHCPOL"/>
      <display value="extended healthcare"/>
    </coding>
  </type>
  <subscriber>
    <reference value="Patient/5"/> <!-- a comment -->
  </subscriber>
  <subscriberId value="AB9876"/>
  <beneficiary>
    <reference value="Patient/5"/>
  </beneficiary>
  <dependent value="1"/>
  <relationship>
    <coding>
      <code value="self"/>
    </coding>
  </relationship>
  <period>
    <start value="2011-03-17"/>
    <end value="2012-03-17"/>
  </period>
  <payor>
    <reference value="Organization/2"/>
  </payor>
  <class>
    <type>
      <coding>
        <system value="http://terminology.hl7.org/CodeSystem/coverage-class"/>
        <code value="group"/>
      </coding>
    </type>
    <value value="WESTAIR"/>
    <name value="Western Airlines"/>
  </class>
  <class>
    <type>
      <coding>
        <system value="http://terminology.hl7.org/CodeSystem/coverage-class"/>
        <code value="plan"/>
      </coding>
    </type>
    <value value="BG4352"/>
    <name value="Full Coverage: Medical, Dental, Pharmacy, Vision, EHC"/>
  </class>
  <class>
    <type>
      <coding>
        <system value="http://terminology.hl7.org/CodeSystem/coverage-class"/>
        <code value="subplan"/>
      </coding>
    </type>
    <value value="D15C9"/>
    <name value="Platinum"/>
  </class>
  <order value="2"/>
  <network value="5"/>
  <costToBeneficiary>
    <type>
      <coding>
        <system value="http://terminology.hl7.org/CodeSystem/coverage-copay-type"/>
        <code value="gpvisit"/>
      </coding>
    </type>
    <valueMoney>
      <value value="20.00"/>
      <currency value="USD"/>
    </valueMoney>
    <exception>
      <type>
        <coding>
          <system value="http://terminology.hl7.org/CodeSystem/ex-coverage-financial-exception"/>
          <code value="retired"/>
        </coding>
      </type>
      <period>
        <start value="2018-01-01"/>
        <end value="2018-12-31"/>
      </period>
    </exception>
  </costToBeneficiary>
  <contract>
    <reference value="Contract/INS-101"/>
  </contract>
</Coverage>`;
  t.ok(check(t, 'Coverage-7546D', xml), 'the package has the JSON twin');
});

const dir = process.env.FHIR_R4_XML_EXAMPLES;
t.test('every official R4 XML example with a JSON twin', { skip: dir ? false : 'set FHIR_R4_XML_EXAMPLES to the unzipped R4 XML examples' }, async (t) => {
  let compared = 0;
  let withoutTwin = 0;
  for (const file of readdirSync(dir!).filter((f) => f.endsWith('.xml')).sort()) {
    if (check(t, file, readFileSync(join(dir!, file), 'utf8'))) compared++;
    else withoutTwin++;
  }
  t.ok(compared > 0, `${compared} XML examples compared, ${withoutTwin} without a JSON twin in the package`);
});
