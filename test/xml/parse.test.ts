/**
 * fromXml on hand-written FHIR XML (http://hl7.org/fhir/R4/xml.html): JSON types rebuilt from the
 * model, primitive ids/extensions as `_name`, choice types, contained and wrapped resources,
 * Parameters, the XHTML div; and hostile or non-FHIR input, each a 400 FhirError saying what and where.
 */
import t, { type Test } from 'tap';
import { FhirError } from '../../src/fhir/outcome.js';
import { fromXml, toXml } from '../../src/fhir/xml/index.js';

const F = 'xmlns="http://hl7.org/fhir"';
const X = 'xmlns="http://www.w3.org/1999/xhtml"';

/** The FhirError fromXml throws for `xml`, checked to be a 400 whose diagnostics match `pattern`. */
function rejects(t: Test, xml: string, pattern: RegExp, message: string, status = 400) {
  let error: unknown;
  try {
    fromXml(xml);
  } catch (e) {
    error = e;
  }
  t.ok(error instanceof FhirError, `${message}: a FhirError`);
  if (error instanceof FhirError) {
    t.equal(error.status, status, `${message}: status ${status}`);
    t.match(error.issues[0].diagnostics, pattern, `${message}: ${error.issues[0].diagnostics}`);
  }
}

t.test('primitives: JSON types from the model, ids and extensions in _name, repeats as arrays', async (t) => {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<Patient ${F} xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://hl7.org/fhir ../../schema/patient.xsd">
  <!-- a comment is ignored -->
  <id value="p1"/>
  <active value="true"/>
  <name id="n1">
    <given value="Anna"/>
    <given id="g2">
      <extension url="http://hl7.org/fhir/StructureDefinition/data-absent-reason">
        <valueCode value="unknown"/>
      </extension>
    </given>
    <given value="Maria" id="g3"/>
  </name>
  <birthDate value="1980-02-29">
    <extension url="http://hl7.org/fhir/StructureDefinition/patient-birthTime">
      <valueDateTime value="1980-02-29T10:00:00Z"/>
    </extension>
  </birthDate>
  <multipleBirthInteger value="2"/>
  <photo>
    <size value="1024"/>
  </photo>
</Patient>`;
  t.strictSame(fromXml(xml), {
    resourceType: 'Patient',
    id: 'p1',
    active: true,
    name: [
      {
        id: 'n1',
        given: ['Anna', null, 'Maria'],
        _given: [
          null,
          { id: 'g2', extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason', valueCode: 'unknown' }] },
          { id: 'g3' },
        ],
      },
    ],
    birthDate: '1980-02-29',
    _birthDate: {
      extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/patient-birthTime', valueDateTime: '1980-02-29T10:00:00Z' }],
    },
    multipleBirthInteger: 2,
    photo: [{ size: 1024 }],
  });
});

t.test('decimals: numbers in JSON, lexical form written back as given', async (t) => {
  const xml = `<Observation ${F}><status value="final"/><code><text value="x"/></code>
    <valueQuantity><value value="1.50"/><unit value="mg"/></valueQuantity>
    <referenceRange><low><value value="-0.5e2"/></low><high><value value="185"/></high></referenceRange></Observation>`;
  const json = fromXml(xml) as any;
  t.equal(json.valueQuantity.value, 1.5, '1.50 becomes the number 1.5 (JSON numbers have no trailing zeros)');
  t.equal(json.referenceRange[0].low.value, -50);
  t.equal(json.referenceRange[0].high.value, 185);
  json.valueQuantity.value = '1.50'; // a decimal kept as text by a lossless JSON reader is written as it is
  t.match(toXml(json), /<value value="1\.50"\/>/);
  t.throws(() => toXml({ ...json, valueQuantity: { value: '1,5' } }), FhirError, 'a decimal string that is no decimal');
});

t.test('contained resources, Bundle entries and Parameters wrap a resource in its type', async (t) => {
  const bundle = fromXml(`<Bundle ${F}><type value="collection"/>
    <entry><fullUrl value="urn:uuid:1"/><resource><Patient><id value="a"/>
      <contained><Organization><id value="o"/><name value="Org"/></Organization></contained>
      <managingOrganization><reference value="#o"/></managingOrganization></Patient></resource></entry>
    <entry><resource><Parameters><parameter><name value="p"/><resource><Patient><active value="false"/></Patient></resource>
      <part><name value="q"/><valueBoolean value="true"/></part></parameter></Parameters></resource></entry>
  </Bundle>`);
  t.strictSame(bundle, {
    resourceType: 'Bundle',
    type: 'collection',
    entry: [
      {
        fullUrl: 'urn:uuid:1',
        resource: {
          resourceType: 'Patient',
          id: 'a',
          contained: [{ resourceType: 'Organization', id: 'o', name: 'Org' }],
          managingOrganization: { reference: '#o' },
        },
      },
      {
        resource: {
          resourceType: 'Parameters',
          parameter: [
            { name: 'p', resource: { resourceType: 'Patient', active: false }, part: [{ name: 'q', valueBoolean: true }] },
          ],
        },
      },
    ],
  });
  t.strictSame(fromXml(toXml(bundle, { pretty: true }), { strictOrder: true }), bundle, 'and back');
});

t.test('the XHTML div: kept verbatim when it stands alone, re-serialised when it leans on its ancestors', async (t) => {
  const div = `<div ${X}><p class="a">Tom &amp; Jerry &lt;3 &#160;<br/><!-- c --></p></div>`;
  const json = fromXml(`<Basic ${F}><text><status value="generated"/>${div}</text><code><text value="x"/></code></Basic>`) as any;
  t.equal(json.text.div, div, 'verbatim, entities and comments included');
  const prefixed = fromXml(
    `<Basic ${F} xmlns:h="http://www.w3.org/1999/xhtml"><text><status value="generated"/><h:div><h:p>a &lt; b</h:p></h:div></text><code><text value="x"/></code></Basic>`,
  ) as any;
  t.equal(prefixed.text.div, `<div ${X}><p>a &lt; b</p></div>`, 'a prefixed div becomes a standalone one');
  const missingNs = toXml({ resourceType: 'Basic', code: { text: 'x' }, text: { status: 'generated', div: '<div>hi</div>' } });
  t.match(missingNs, `<div ${X}>hi</div>`, 'toXml declares the XHTML namespace a JSON div forgot');
  t.throws(
    () => toXml({ resourceType: 'Basic', code: { text: 'x' }, text: { status: 'generated', div: '<div><p>unclosed</div>' } }),
    /not well-formed XHTML/,
    'toXml refuses a div that would break the document',
  );
  rejects(t, `<Basic ${F}><text><status value="generated"/><div><p/></div></text></Basic>`, /must be an XHTML <div>/, 'div in the FHIR namespace');
  rejects(t, `<Basic ${F}><text><status value="generated"/><span ${X}/></text></Basic>`, /Unknown element 'span'|not allowed/, 'span instead of div');
});

t.test('namespace prefixes are not significant', async (t) => {
  t.strictSame(
    fromXml(`<f:Patient xmlns:f="http://hl7.org/fhir"><f:id value="x"/><f:name><f:family value="Y"/></f:name></f:Patient>`),
    { resourceType: 'Patient', id: 'x', name: [{ family: 'Y' }] },
  );
});

t.test('a byte-order mark and the XML declaration are accepted', async (t) => {
  t.strictSame(fromXml(`\ufeff<?xml version="1.0" encoding="UTF-8"?>\r\n<Patient ${F}><id value="x"/></Patient>`), {
    resourceType: 'Patient',
    id: 'x',
  });
});

t.test('hostile input', async (t) => {
  rejects(
    t,
    `<?xml version="1.0"?><!DOCTYPE Patient [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><Patient ${F}><id value="&xxe;"/></Patient>`,
    /DOCTYPE/,
    'XXE external entity',
  );
  const laughs = [
    '<!ENTITY lol "lol">',
    ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`),
  ].join('');
  rejects(t, `<?xml version="1.0"?><!DOCTYPE lolz [${laughs}]><Patient ${F}><id value="&lol9;"/></Patient>`, /DOCTYPE/, 'billion laughs');
  rejects(t, `<Patient ${F}><id value="&lol;"/></Patient>`, /Malformed XML at line 1, column \d+: .*undefined entity/i, 'entity without DTD');
  rejects(t, `<!DOCTYPE Patient SYSTEM "http://example.org/evil.dtd"><Patient ${F}/>`, /DOCTYPE/, 'external DTD');
  const deep = `<Patient ${F}>${'<extension url="u">'.repeat(300)}${'</extension>'.repeat(300)}</Patient>`;
  rejects(t, deep, /nested deeper than 200/, 'deep nesting');
  rejects(t, `<Patient ${F}>${'<a>'.repeat(100_000)}`, /nested deeper than 200/, 'unclosed deep nesting stops early');
  let tooLong: unknown;
  try {
    fromXml(`<Patient ${F}><id value="x"/></Patient>`, { maxLength: 10 });
  } catch (e) {
    tooLong = e;
  }
  t.ok(tooLong instanceof FhirError && tooLong.status === 413, 'longer than maxLength: 413');
});

t.test('malformed XML', async (t) => {
  rejects(t, `<Patient ${F}><id value="x"></Patient>`, /Malformed XML at line 1, column \d+/, 'mismatched tags');
  rejects(t, `<Patient ${F}><id value="x"/>`, /Malformed XML/, 'unclosed root');
  rejects(t, `<Patient ${F}><id value="x"/></Patient><Patient ${F}/>`, /Malformed XML/, 'two roots');
  rejects(t, `<Patient ${F}><id value='x' value="y"/></Patient>`, /Malformed XML/, 'duplicate attribute');
  rejects(t, `<Patient ${F}><id value="x"/></Patient><`, /Malformed XML/, 'trailing garbage');
  rejects(t, `<p:Patient ${F}/>`, /Malformed XML.*prefix/i, 'unbound prefix');
  rejects(t, '', /Malformed XML|no root/, 'empty body');
  rejects(t, '{"resourceType":"Patient"}', /Malformed XML/, 'JSON is not XML');
});

t.test('well-formed XML that is not FHIR', async (t) => {
  rejects(t, `<Patient><id value="x"/></Patient>`, /in no namespace; FHIR XML requires xmlns="http:\/\/hl7.org\/fhir"/, 'no namespace');
  rejects(t, `<Patient xmlns="http://hl7.org/fhir/r4"><id value="x"/></Patient>`, /namespace 'http:\/\/hl7.org\/fhir\/r4', not the FHIR namespace/, 'wrong namespace');
  rejects(t, `<Patient ${F}><id value="x"/><foo value="1"/></Patient>`, /Unknown element 'foo' in Patient \(line 1, column \d+\)/, 'unknown element');
  rejects(t, `<Patient ${F}><name><given value="a"/><nickname value="b"/></name></Patient>`, /Unknown element 'nickname' in Patient.name/, 'unknown nested element');
  rejects(t, `<Patient ${F}><x:id xmlns:x="urn:x" value="a"/></Patient>`, /namespace 'urn:x' is not allowed in Patient/, 'foreign element');
  rejects(t, `<Patient ${F}><active value="yes"/></Patient>`, /Invalid boolean 'yes' in Patient.active/, 'bad boolean');
  rejects(t, `<Patient ${F}><multipleBirthInteger value="1.5"/></Patient>`, /Invalid integer '1.5'/, 'bad integer');
  rejects(t, `<Patient ${F}><multipleBirthInteger value="3000000000"/></Patient>`, /32-bit/, 'integer out of range');
  rejects(t, `<Patient ${F}><photo><size value="-1"/></photo></Patient>`, /unsignedInt '-1'.*0 or more/, 'negative unsignedInt');
  rejects(t, `<Patient ${F}><gender value="male"/><gender value="female"/></Patient>`, /'gender' may appear only once in Patient/, 'repeated single element');
  rejects(t, `<Patient ${F}><deceasedBoolean value="true"/><deceasedDateTime value="2020"/></Patient>`, /both deceasedBoolean and deceasedDateTime/, 'two types of one choice');
  rejects(t, `<Patient ${F}><gender>male</gender></Patient>`, /Text content is not allowed in FHIR element <gender>/, 'text content');
  rejects(t, `<Patient ${F}><gender/></Patient>`, /'gender' in Patient has neither a value nor extensions/, 'empty primitive');
  rejects(t, `<Patient ${F}><gender value=""/></Patient>`, /empty/, 'empty value attribute');
  rejects(t, `<Patient ${F}><meta/></Patient>`, /'meta' in Patient is empty/, 'empty complex element');
  rejects(t, `<Patient ${F}><gender value="male" code="m"/></Patient>`, /Unknown attribute 'code' on <gender>/, 'unknown attribute');
  rejects(t, `<Patient ${F} id="p"/>`, /Unknown attribute 'id' on <Patient>/, 'resource id as an attribute');
  rejects(t, `<Foo ${F}/>`, /<Foo> is not a FHIR R4 resource type/, 'unknown resource type');
  rejects(t, `<DomainResource ${F}/>`, /not a FHIR R4 resource type/, 'abstract resource type');
  rejects(t, `<Bundle ${F}><entry><resource/></entry></Bundle>`, /exactly one resource element, found 0/, 'empty resource wrapper');
  rejects(t, `<Bundle ${F}><entry><resource><Patient/><Patient/></resource></entry></Bundle>`, /found 2/, 'two resources in one wrapper');
  rejects(t, `<Bundle ${F}><entry><resource><name value="x"/></resource></entry></Bundle>`, /<name> is not a FHIR R4 resource type/, 'a wrapper without a resource');
});

t.test('element order: free by default, enforced with strictOrder', async (t) => {
  const xml = `<Patient ${F}><gender value="male"/><id value="x"/></Patient>`;
  t.strictSame(fromXml(xml), { resourceType: 'Patient', id: 'x', gender: 'male' });
  t.throws(() => fromXml(xml, { strictOrder: true }), /Element 'id' is out of order in Patient: it must come before 'gender'/);
  t.throws(
    () => fromXml(`<Patient ${F}><name><given value="a"/><prefix value="b"/><given value="c"/></name></Patient>`, { strictOrder: true }),
    /'given' is out of order in Patient.name: it must come before 'prefix'/,
    'the elements of a repeat must be together',
  );
});

t.test('toXml refuses what FHIR XML cannot carry (a server fault: 500)', async (t) => {
  const fails = (resource: object, pattern: RegExp, message: string) => {
    try {
      toXml(resource);
      t.fail(message);
    } catch (e) {
      t.ok(e instanceof FhirError && e.status === 500, `${message}: 500`);
      t.match((e as Error).message, pattern, message);
    }
  };
  fails({ resourceType: 'Nope' }, /not an R4 resource type/, 'unknown resource type');
  fails({ resourceType: 'Patient', nickname: 'x' }, /Patient has no element nickname/, 'unknown property');
  fails({ resourceType: 'Patient', name: [{ _family: { foo: 1 } }] }, /may only carry id and extension/, 'bad _name');
  fails({ resourceType: 'Patient', name: [{ family: 'a\u0001b' }] }, /XML 1.0 cannot carry/, 'control character');
  fails({ resourceType: 'Patient', active: null }, /neither a value nor extensions/, 'null');
  fails({ resourceType: 'Patient', contained: [{ id: 'x' }] }, /resourceType undefined/, 'contained without resourceType');
  fails({ resourceType: 'Extension' } as object, /not an R4 resource type/, 'a datatype is no resource');
});

t.test('toXml: attributes escaped, primitives written in order, id/url as attributes', async (t) => {
  const xml = toXml(
    {
      resourceType: 'Patient',
      name: [{ family: 'O"Brien & <Sons>', given: ['a\tb\nc'] }],
      id: 'x',
      extension: [{ valueBoolean: false, url: 'http://e' }],
    },
    { declaration: false },
  );
  t.equal(
    xml,
    `<Patient ${F}><id value="x"/><extension url="http://e"><valueBoolean value="false"/></extension><name><family value="O&quot;Brien &amp; &lt;Sons&gt;"/><given value="a&#9;b&#10;c"/></name></Patient>`,
  );
  t.strictSame(fromXml(xml), {
    resourceType: 'Patient',
    id: 'x',
    extension: [{ url: 'http://e', valueBoolean: false }],
    name: [{ family: 'O"Brien & <Sons>', given: ['a\tb\nc'] }],
  });
  t.equal(toXml({ resourceType: 'Patient', id: 'a' }, { pretty: true }), `<?xml version="1.0" encoding="UTF-8"?>\n<Patient ${F}>\n  <id value="a"/>\n</Patient>\n`);
});
