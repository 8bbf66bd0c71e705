/**
 * The data generator end to end on the local PostgreSQL (127.0.0.1:5432, user postgres, trust auth):
 * `scripts/seed.ts` loads 2000 insurees into scratch databases created and dropped here, then the
 * data is checked for determinism, referential coherence, the history pattern, code values, status
 * coverage, amounts and lengths. Skipped when no server answers.
 * Override the server with PGTEST_HOST / PGTEST_PORT / PGTEST_USER / PGTEST_PASSWORD.
 */
import t from 'tap';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { checkPassword } from '../../src/auth/password.js';
import { isValidChfid } from '../../src/db/generator/families.js';

const server = {
  host: process.env.PGTEST_HOST ?? '127.0.0.1',
  port: Number(process.env.PGTEST_PORT ?? 5432),
  user: process.env.PGTEST_USER ?? 'postgres',
  password: process.env.PGTEST_PASSWORD ?? '',
};
const connect = (database: string): Knex => knexFactory({ client: 'pg', connection: { ...server, database }, pool: { min: 0, max: 2 } });
const url = (database: string) =>
  `postgres://${encodeURIComponent(server.user)}${server.password ? `:${encodeURIComponent(server.password)}` : ''}@${server.host}:${server.port}/${database}`;

const INSUREES = 2000;
const TODAY = '2025-06-30';

const admin = connect('postgres');
let unavailable: string | false = false;
try {
  await admin.raw('SELECT 1');
} catch (error) {
  unavailable = `no PostgreSQL at ${server.host}:${server.port} (${(error as Error).message})`;
}
t.teardown(() => admin.destroy());

/** Runs the seed script; resolves with its exit code and output. */
function seed(args: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('DB_')) delete env[key];
  Object.assign(env, extraEnv);
  return new Promise((resolve) => {
    execFile(tsx, ['scripts/seed.ts', ...args], { env, timeout: 110_000, maxBuffer: 10 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const rows = async <T = Record<string, unknown>>(knex: Knex, sql: string): Promise<T[]> => (await knex.raw<{ rows: T[] }>(sql)).rows;
const count = async (knex: Knex, sql: string): Promise<number> => Number((await rows<{ n: number | string }>(knex, sql))[0].n);

t.test('seed script on PostgreSQL', { skip: unavailable }, async (t) => {
  const names = [0, 1].map(() => `openimis_seed_test_${randomBytes(5).toString('hex')}`);
  for (const name of names) await admin.raw(`CREATE DATABASE "${name}" ENCODING 'UTF8' TEMPLATE template0`);
  const [a, b] = names.map(connect);
  t.teardown(async () => {
    await a.destroy();
    await b.destroy();
    for (const name of names) await admin.raw(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });
  const common = ['--insurees', String(INSUREES), '--today', TODAY];

  const first = await seed([...common, '--seed', '7', '--database-url', url(names[0])]);
  t.equal(first.code, 0, `seed exits 0 (${first.stderr.slice(-500)})`);
  t.match(first.stdout, /Schema: created the legacy schema/);
  t.match(first.stdout, /tblInsuree\s+[\d,]+/, 'prints rows per table');
  t.match(first.stdout, /Done in/);

  await t.test('refuses a database that already holds data', async (t) => {
    const again = await seed([...common, '--database-url', url(names[0])]);
    t.equal(again.code, 1);
    t.match(again.stderr, /already holds openIMIS data.*--reset/s);
  });

  await t.test('refuses PGlite beyond the small-dataset limit', async (t) => {
    const result = await seed(['--insurees', '50000'], { DB_ENGINE: 'pglite', PGLITE_DIR: '/nonexistent/never-created' });
    t.equal(result.code, 1);
    t.match(result.stderr, /PGlite.*20000/s);
  });

  await t.test('same seed, same data; another seed, other data', async (t) => {
    const second = await seed([...common, '--seed', '7', '--database-url', url(names[1])]);
    t.equal(second.code, 0, second.stderr.slice(-500));
    const fingerprint = (knex: Knex) => rows(knex, `
      SELECT 'ins' AS k, string_agg("InsureeID" || ':' || "CHFID" || ':' || "InsureeUUID" || ':' || "LastName" || ':' || "DOB", ',' ORDER BY "InsureeID") AS v FROM "tblInsuree"
      UNION ALL SELECT 'claim', string_agg("ClaimID" || ':' || "ClaimCode" || ':' || "ClaimStatus" || ':' || "Claimed", ',' ORDER BY "ClaimID") FROM "tblClaim"
      UNION ALL SELECT 'pol', string_agg("PolicyID" || ':' || "PolicyStatus" || ':' || "ExpiryDate", ',' ORDER BY "PolicyID") FROM "tblPolicy"
      UNION ALL SELECT 'user', string_agg("LoginName" || ':' || "StoredPassword", ',' ORDER BY "UserID") FROM "tblUsers"`);
    t.same(await fingerprint(b), await fingerprint(a), 'identical insurees, claims, policies, users');

    const other = await seed([...common, '--seed', '8', '--reset', '--database-url', url(names[1])]);
    t.equal(other.code, 0, other.stderr.slice(-500));
    t.match(other.stdout, /dropped \d+ legacy tables and recreated the schema/);
    const chfids = (knex: Knex) => rows<{ CHFID: string }>(knex, 'SELECT "CHFID" FROM "tblInsuree" WHERE "LegacyID" IS NULL ORDER BY "InsureeID" LIMIT 50');
    t.notSame(await chfids(b), await chfids(a), 'seed 8 gives other CHFIDs');
  });

  await t.test('counts and shapes', async (t) => {
    t.equal(await count(a, 'SELECT count(*) n FROM "tblInsuree" WHERE "LegacyID" IS NULL'), INSUREES, 'one main row per person');
    const families = await count(a, 'SELECT count(*) n FROM "tblFamilies" WHERE "LegacyID" IS NULL');
    t.ok(INSUREES / families > 3.3 && INSUREES / families < 4.8, `mean family size ~4 (${(INSUREES / families).toFixed(2)})`);
    const sizes = await rows<{ max: number; min: number }>(a, `SELECT max(n) AS max, min(n) AS min FROM (SELECT count(*) n FROM "tblInsuree" WHERE "LegacyID" IS NULL GROUP BY "FamilyID") x`);
    t.ok(sizes[0].min >= 1 && sizes[0].max <= 10, 'families of 1–10 persons');
    const history = await count(a, 'SELECT count(*) n FROM "tblInsuree" WHERE "LegacyID" IS NOT NULL');
    t.ok(history > INSUREES * 0.03 && history < INSUREES * 0.1, `~5 % insuree history rows (${history})`);
    const deleted = await count(a, 'SELECT count(*) n FROM "tblInsuree" WHERE "ValidityTo" IS NOT NULL AND "LegacyID" IS NULL');
    t.ok(deleted >= 1 && deleted < INSUREES * 0.02, `a few soft-deleted insurees (${deleted})`);
    const gender = await rows<{ Gender: string; n: string }>(a, 'SELECT "Gender", count(*) n FROM "tblInsuree" WHERE "ValidityTo" IS NULL GROUP BY 1');
    const female = Number(gender.find((g) => g.Gender === 'F')?.n ?? 0) / gender.reduce((s, g) => s + Number(g.n), 0);
    t.ok(female > 0.42 && female < 0.56, `gender split (${(female * 100).toFixed(1)} % female)`);
    const children = await count(a, `SELECT count(*) n FROM "tblInsuree" WHERE "ValidityTo" IS NULL AND "DOB" > DATE '${TODAY}' - INTERVAL '15 years'`);
    t.ok(children / INSUREES > 0.3 && children / INSUREES < 0.55, `young population (${children} under 15)`);
    t.ok(await count(a, 'SELECT count(*) n FROM "tblClaim" WHERE "ValidityTo" IS NULL') > INSUREES * 0.2, 'claims generated');
    t.ok(await count(a, 'SELECT count(*) n FROM "tblFeedback"') > 0, 'some feedback');
    const users = await count(a, 'SELECT count(*) n FROM "tblUsers"');
    t.ok(users >= 20 && users <= 60, `a few dozen users (${users})`);
  });

  await t.test('CHFIDs, codes and lengths', async (t) => {
    const ids = await rows<{ CHFID: string }>(a, 'SELECT "CHFID" FROM "tblInsuree" WHERE "ValidityTo" IS NULL');
    t.equal(new Set(ids.map((r) => r.CHFID)).size, ids.length, 'CHFIDs unique among current insurees');
    t.equal(ids.filter((r) => !isValidChfid(r.CHFID)).length, 0, 'every CHFID is 9 digits with the mod-7 check digit');
    t.equal(await count(a, `SELECT count(*) n FROM (SELECT "HFID", "ClaimCode" FROM "tblClaim" WHERE "ValidityTo" IS NULL GROUP BY 1, 2 HAVING count(*) > 1) x`), 0,
      'ClaimCode unique per facility among current claims');
    t.equal(await count(a, `SELECT count(*) n FROM "tblLocations" c JOIN "tblLocations" p ON p."LocationId" = c."ParentLocationId"
      WHERE c."LocationCode" NOT LIKE p."LocationCode" || '%' OR length(c."LocationCode") > 8`), 0, 'hierarchical location codes within 8 characters');
    t.equal(await count(a, `SELECT count(*) n FROM (SELECT "LocationCode" FROM "tblLocations" WHERE "ValidityTo" IS NULL GROUP BY 1 HAVING count(*) > 1) x`), 0, 'location codes unique');
    for (const [table, code] of [['tblHF', 'HFCode'], ['tblItems', 'ItemCode'], ['tblServices', 'ServCode'], ['tblProduct', 'ProductCode'], ['tblOfficer', 'Code'], ['tblClaimAdmin', 'ClaimAdminCode']]) {
      t.equal(await count(a, `SELECT count(*) n FROM (SELECT "${code}" FROM "${table}" WHERE "ValidityTo" IS NULL GROUP BY 1 HAVING count(*) > 1) x`), 0, `${table}.${code} unique among current rows`);
    }

    const invalid: [string, string][] = [
      ['Gender', `SELECT count(*) n FROM "tblInsuree" WHERE "Gender" NOT IN (SELECT "Code" FROM "tblGender")`],
      ['Marital', `SELECT count(*) n FROM "tblInsuree" WHERE "Marital" NOT IN ('N', 'W', 'S', 'D', 'M')`],
      ['TypeOfId', `SELECT count(*) n FROM "tblInsuree" WHERE "TypeOfId" NOT IN (SELECT "IdentificationCode" FROM "tblIdentificationTypes")`],
      ['Relationship', `SELECT count(*) n FROM "tblInsuree" WHERE "Relationship" NOT IN (SELECT "RelationId" FROM "tblRelations")`],
      ['Education', `SELECT count(*) n FROM "tblInsuree" WHERE "Education" NOT IN (SELECT "EducationId" FROM "tblEducations")`],
      ['Profession', `SELECT count(*) n FROM "tblInsuree" WHERE "Profession" NOT IN (SELECT "ProfessionId" FROM "tblProfessions")`],
      ['FamilyType', `SELECT count(*) n FROM "tblFamilies" WHERE "FamilyType" NOT IN (SELECT "FamilyTypeCode" FROM "tblFamilyTypes")`],
      ['ConfirmationType', `SELECT count(*) n FROM "tblFamilies" WHERE "ConfirmationType" NOT IN (SELECT "ConfirmationTypeCode" FROM "tblConfirmationTypes")`],
      ['LocationType', `SELECT count(*) n FROM "tblLocations" WHERE "LocationType" NOT IN ('R', 'D', 'W', 'V')`],
      ['HF', `SELECT count(*) n FROM "tblHF" WHERE "HFLevel" NOT IN ('H', 'C', 'D') OR "HFCareType" NOT IN ('I', 'O', 'B')
        OR "LegalForm" NOT IN (SELECT "LegalFormCode" FROM "tblLegalForms") OR "HFSublevel" NOT IN (SELECT "HFSublevel" FROM "tblHFSublevel")`],
      ['Items', `SELECT count(*) n FROM "tblItems" WHERE "ItemType" NOT IN ('D', 'M') OR "ItemCareType" NOT IN ('I', 'O', 'B') OR "ItemPatCat" NOT BETWEEN 1 AND 15`],
      ['Services', `SELECT count(*) n FROM "tblServices" WHERE "ServType" NOT IN ('C', 'P') OR "ServLevel" NOT IN ('S', 'V', 'D', 'H')
        OR "ServCareType" NOT IN ('I', 'O', 'B') OR "ServCategory" NOT IN ('S', 'D', 'A', 'H', 'C')`],
      ['Policy', `SELECT count(*) n FROM "tblPolicy" WHERE "PolicyStage" NOT IN ('N', 'R') OR "PolicyStatus" NOT IN (1, 2, 4, 8, 16)`],
      ['Premium', `SELECT count(*) n FROM "tblPremium" WHERE "PayType" NOT IN ('B', 'C', 'F', 'M')`],
      ['Payer', `SELECT count(*) n FROM "tblPayer" WHERE "PayerType" NOT IN (SELECT "Code" FROM "tblPayerType")`],
      ['Claim', `SELECT count(*) n FROM "tblClaim" WHERE "VisitType" NOT IN ('E', 'R', 'O') OR "ClaimCategory" NOT IN ('S', 'D', 'A', 'H', 'C', 'V')
        OR "ClaimStatus" NOT IN (1, 2, 4, 8, 16) OR "ReviewStatus" NOT IN (1, 2, 4, 8, 16) OR "FeedbackStatus" NOT IN (1, 2, 4, 8, 16)`],
      ['ClaimItems', `SELECT count(*) n FROM "tblClaimItems" WHERE "ClaimItemStatus" NOT IN (1, 2) OR "PriceOrigin" NOT IN ('P', 'O', 'R')`],
      ['ClaimServices', `SELECT count(*) n FROM "tblClaimServices" WHERE "ClaimServiceStatus" NOT IN (1, 2) OR "PriceOrigin" NOT IN ('P', 'O', 'R')`],
      ['ProductLines', `SELECT count(*) n FROM "tblProductItems" WHERE "LimitationType" NOT IN ('C', 'F') OR "PriceOrigin" NOT IN ('P', 'O', 'R')`],
      ['Users', `SELECT count(*) n FROM "tblUsers" WHERE "LanguageID" NOT IN (SELECT "LanguageCode" FROM "tblLanguages")`],
    ];
    for (const [what, sql] of invalid) t.equal(await count(a, sql), 0, `${what}: only valid codes`);
  });

  await t.test('every status occurs', async (t) => {
    const claim = (await rows<{ s: number }>(a, 'SELECT DISTINCT "ClaimStatus" s FROM "tblClaim" WHERE "ValidityTo" IS NULL ORDER BY 1')).map((r) => r.s);
    t.same(claim, [1, 2, 4, 8, 16], 'ClaimStatus 1, 2, 4, 8, 16');
    const policy = (await rows<{ s: number }>(a, 'SELECT DISTINCT "PolicyStatus" s FROM "tblPolicy" WHERE "ValidityTo" IS NULL ORDER BY 1')).map((r) => r.s);
    t.same(policy, [1, 2, 4, 8, 16], 'PolicyStatus 1, 2, 4, 8, 16');
    const stages = (await rows<{ s: string }>(a, 'SELECT DISTINCT "PolicyStage" s FROM "tblPolicy" ORDER BY 1')).map((r) => r.s);
    t.same(stages, ['N', 'R'], 'new policies and renewals');
  });

  await t.test('referential coherence', async (t) => {
    const zero: [string, string][] = [
      ['current insuree in a missing or closed family', `SELECT count(*) n FROM "tblInsuree" i LEFT JOIN "tblFamilies" f ON f."FamilyID" = i."FamilyID"
        WHERE i."ValidityTo" IS NULL AND (f."FamilyID" IS NULL OR f."ValidityTo" IS NOT NULL)`],
      ['family head not a member of the family', `SELECT count(*) n FROM "tblFamilies" f JOIN "tblInsuree" h ON h."InsureeID" = f."InsureeID"
        WHERE f."LegacyID" IS NULL AND (h."FamilyID" <> f."FamilyID" OR NOT h."IsHead" OR h."LegacyID" IS NOT NULL)`],
      ['current family without exactly one current head', `SELECT count(*) n FROM "tblFamilies" f
        WHERE f."ValidityTo" IS NULL AND (SELECT count(*) FROM "tblInsuree" i WHERE i."FamilyID" = f."FamilyID" AND i."ValidityTo" IS NULL AND i."IsHead") <> 1`],
      ['family in a non-village location', `SELECT count(*) n FROM "tblFamilies" f JOIN "tblLocations" l ON l."LocationId" = f."LocationId" WHERE l."LocationType" <> 'V'`],
      ['claim of a missing insuree or facility', `SELECT count(*) n FROM "tblClaim" c LEFT JOIN "tblInsuree" i ON i."InsureeID" = c."InsureeID"
        LEFT JOIN "tblHF" h ON h."HfID" = c."HFID" WHERE i."InsureeID" IS NULL OR h."HfID" IS NULL OR i."LegacyID" IS NOT NULL OR h."LegacyID" IS NOT NULL`],
      ['claim before the patient was born', `SELECT count(*) n FROM "tblClaim" c JOIN "tblInsuree" i ON i."InsureeID" = c."InsureeID" WHERE c."DateFrom" < i."DOB"`],
      ['claim after today or ending before it starts', `SELECT count(*) n FROM "tblClaim" WHERE "DateClaimed" > DATE '${TODAY}' OR "DateTo" < "DateFrom" OR "DateClaimed" < "DateFrom"`],
      ['facility not in a district', `SELECT count(*) n FROM "tblHF" h JOIN "tblLocations" l ON l."LocationId" = h."LocationId" WHERE l."LocationType" <> 'D'`],
      ['insuree policy of another family', `SELECT count(*) n FROM "tblInsureePolicy" ip JOIN "tblInsuree" i ON i."InsureeID" = ip."InsureeID"
        JOIN "tblPolicy" p ON p."PolicyID" = ip."PolicyId" WHERE i."FamilyID" <> p."FamilyID"`],
      ['policy dates out of order (a renewal in its grace period starts at the previous expiry)', `SELECT count(*) n FROM "tblPolicy"
        WHERE ("StartDate" < "EnrollDate" AND ("PolicyStage" <> 'R' OR "EnrollDate" - "StartDate" > 31))
          OR "ExpiryDate" < "StartDate" OR "EffectiveDate" < "StartDate" OR "EffectiveDate" < "EnrollDate"`],
      ['active policy not covering today', `SELECT count(*) n FROM "tblPolicy" WHERE "ValidityTo" IS NULL AND "PolicyStatus" = 2
        AND NOT (DATE '${TODAY}' BETWEEN "StartDate" AND "ExpiryDate")`],
      ['paid policy without its contributions', `SELECT count(*) n FROM "tblPolicy" p WHERE p."LegacyID" IS NULL AND p."EffectiveDate" IS NOT NULL
        AND p."PolicyValue" <> (SELECT coalesce(sum("Amount"), 0) FROM "tblPremium" r WHERE r."PolicyID" = p."PolicyID")`],
      ['officer village outside the officer district', `SELECT count(*) n FROM "tblOfficerVillages" ov JOIN "tblOfficer" o ON o."OfficerID" = ov."OfficerId"
        JOIN "tblLocations" v ON v."LocationId" = ov."LocationId" JOIN "tblLocations" w ON w."LocationId" = v."ParentLocationId"
        WHERE w."ParentLocationId" <> o."LocationId"`],
      ['claim administrator without facility', `SELECT count(*) n FROM "tblClaimAdmin" WHERE "HFId" IS NULL`],
    ];
    for (const [what, sql] of zero) t.equal(await count(a, sql), 0, `no ${what}`);
  });

  await t.test('history pattern', async (t) => {
    const versioned: [string, string, string][] = [
      ['tblInsuree', 'InsureeID', 'CHFID'], ['tblFamilies', 'FamilyID', 'InsureeID'], ['tblPolicy', 'PolicyID', 'FamilyID'],
      ['tblClaim', 'ClaimID', 'ClaimCode'], ['tblLocations', 'LocationId', 'LocationCode'], ['tblHF', 'HfID', 'HFCode'],
      ['tblOfficer', 'OfficerID', 'Code'], ['tblClaimAdmin', 'ClaimAdminId', 'ClaimAdminCode'], ['tblItems', 'ItemID', 'ItemCode'],
      ['tblServices', 'ServiceID', 'ServCode'], ['tblProduct', 'ProdID', 'ProductCode'],
    ];
    for (const [table, pk, key] of versioned) {
      const history = await count(a, `SELECT count(*) n FROM "${table}" WHERE "LegacyID" IS NOT NULL`);
      t.ok(history > 0, `${table} has history rows`);
      t.equal(await count(a, `SELECT count(*) n FROM "${table}" h LEFT JOIN "${table}" c ON c."${pk}" = h."LegacyID"
        WHERE h."LegacyID" IS NOT NULL AND (c."${pk}" IS NULL OR c."LegacyID" IS NOT NULL OR c."${key}" IS DISTINCT FROM h."${key}"
          OR h."ValidityTo" IS NULL OR h."ValidityTo" < h."ValidityFrom" OR h."ValidityTo" > c."ValidityFrom")`), 0,
      `${table}: history rows are closed, older than and point to their entity row with the same ${key}`);
      t.equal(await count(a, `SELECT count(*) n FROM "${table}" c WHERE c."LegacyID" IS NULL AND c."ValidityTo" IS NOT NULL
        AND c."ValidityTo" <> c."ValidityFrom" AND '${table}' IN ('tblInsuree', 'tblFamilies', 'tblClaim')`), 0,
      `${table}: soft deletes close the entity row at its ValidityFrom`);
    }
    const uuids = await count(a, `SELECT count(*) n FROM (SELECT "InsureeUUID" FROM "tblInsuree" GROUP BY 1 HAVING count(*) > 1) x`);
    t.equal(uuids, 0, 'history rows have their own UUIDs');
    const shapes = await count(a, `SELECT count(*) n FROM "tblInsuree" WHERE "InsureeUUID" !~ '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$'`);
    t.equal(shapes, 0, 'UUIDs are lower-case v4');
  });

  await t.test('claim amounts are coherent', async (t) => {
    t.equal(await count(a, `SELECT count(*) n FROM "tblClaim" c WHERE c."LegacyID" IS NULL AND c."Claimed" <>
      (SELECT coalesce(sum("QtyProvided" * "PriceAsked"), 0) FROM "tblClaimItems" WHERE "ClaimID" = c."ClaimID")
      + (SELECT coalesce(sum("QtyProvided" * "PriceAsked"), 0) FROM "tblClaimServices" WHERE "ClaimID" = c."ClaimID")`), 0, 'Claimed = sum of the lines');
    t.equal(await count(a, `SELECT count(*) n FROM "tblClaim" c WHERE c."LegacyID" IS NULL AND c."ClaimStatus" IN (4, 8, 16) AND c."Approved" <>
      (SELECT coalesce(sum("QtyApproved" * "PriceApproved"), 0) FROM "tblClaimItems" WHERE "ClaimID" = c."ClaimID" AND "ClaimItemStatus" = 1)
      + (SELECT coalesce(sum("QtyApproved" * "PriceApproved"), 0) FROM "tblClaimServices" WHERE "ClaimID" = c."ClaimID" AND "ClaimServiceStatus" = 1)`), 0,
    'Approved = sum of the passed lines');
    t.equal(await count(a, `SELECT count(*) n FROM "tblClaim" c WHERE c."LegacyID" IS NULL AND c."ClaimStatus" = 16 AND (c."Valuated" IS NULL OR c."Valuated" <>
      (SELECT coalesce(sum("PriceValuated"), 0) FROM "tblClaimItems" WHERE "ClaimID" = c."ClaimID")
      + (SELECT coalesce(sum("PriceValuated"), 0) FROM "tblClaimServices" WHERE "ClaimID" = c."ClaimID"))`), 0, 'Valuated = sum of the valuated lines');
    t.equal(await count(a, `SELECT count(*) n FROM "tblClaim" c WHERE c."LegacyID" IS NULL AND c."ClaimStatus" = 1 AND
      EXISTS (SELECT 1 FROM "tblClaimItems" WHERE "ClaimID" = c."ClaimID" AND "ClaimItemStatus" = 1)`), 0, 'rejected claims have only rejected lines');
    t.equal(await count(a, `SELECT count(*) n FROM "tblClaim" c WHERE c."LegacyID" IS NULL AND c."FeedbackID" IS NOT NULL AND NOT EXISTS
      (SELECT 1 FROM "tblFeedback" f WHERE f."FeedbackID" = c."FeedbackID" AND f."ClaimID" = c."ClaimID")`), 0, 'feedback rows match their claims');
  });

  await t.test('users, sequences, indexes', async (t) => {
    const admins = await rows<{ PrivateKey: string; StoredPassword: string }>(a, `SELECT "PrivateKey", "StoredPassword" FROM "tblUsers" WHERE "LoginName" = 'Admin'`);
    t.equal(admins.length, 1);
    t.ok(checkPassword('admin123', admins[0].PrivateKey, admins[0].StoredPassword), 'Admin / admin123');
    const clerk = await rows<{ PrivateKey: string; StoredPassword: string }>(a, `SELECT "PrivateKey", "StoredPassword" FROM "tblUsers" WHERE "LoginName" = 'clerk01'`);
    t.ok(checkPassword('clerk01pass', clerk[0].PrivateKey, clerk[0].StoredPassword), 'clerk01 / clerk01pass');
    t.ok(await count(a, `SELECT count(*) n FROM "tblUserRole" ur JOIN "tblRole" r ON r."RoleID" = ur."RoleID"`) >= 20, 'users have roles');
    const next = await rows<{ nextval: number; max: number }>(a,
      `SELECT nextval(pg_get_serial_sequence('"tblInsuree"', 'InsureeID')) AS nextval, (SELECT max("InsureeID") FROM "tblInsuree") AS max`);
    t.ok(Number(next[0].nextval) > Number(next[0].max), 'sequences are past max(id)');
    const fks = await count(a, `SELECT count(*) n FROM pg_constraint WHERE contype = 'f' AND condeferrable AND condeferred AND convalidated`);
    t.ok(fks >= 80, `deferrable foreign keys restored and validated (${fks})`);
    t.ok(await count(a, `SELECT count(*) n FROM pg_indexes WHERE indexname LIKE 'fhir_idx_%'`) > 10, 'performance indexes created');
  });
});
