/**
 * Policy holders (tblPolicyHolder of the modular policyholder module, ~1 per 5000 insurees, at least
 * six): companies at a village, a district or a region, or without location, with every default
 * legal form and activity (1-5), some changed since (version 2) and one deleted. Written only where
 * the table exists (an older openIMIS database lacks it), through the Admin's core_User, which is
 * created when missing as Django creates it at the Admin's first login.
 */
import type { Knex } from 'knex';
import type { GeneratorContext } from './context.js';
import { stamp } from './dates.js';
import type { Geography } from './locations.js';
import { FEMALE_NAMES, MALE_NAMES, SURNAMES, phoneNumber, placeName, slug, streetAddress } from './names.js';

const TABLE = 'tblPolicyHolder';
const KINDS = ['Traders', 'Builders', 'Transport', 'Farmers Co-operative', 'Services Ltd', 'Workers Union'];

export async function generatePolicyHolders(ctx: GeneratorContext, knex: Knex, geo: Geography): Promise<number> {
  if (!(await knex.schema.hasTable(TABLE)) || !(await knex.schema.hasTable('core_User'))) return 0;
  const rng = ctx.rng('policy-holders');
  const admin = await knex('tblUsers').where('UserID', ctx.adminUserId).first('LoginName');
  let user = await knex('core_User').where('i_user_id', ctx.adminUserId).first('id');
  if (!user) {
    user = { id: rng.uuid() };
    await knex('core_User').insert({ id: user.id, username: String(admin?.LoginName ?? 'Admin').slice(0, 25), i_user_id: admin ? ctx.adminUserId : null });
  }
  const count = Math.max(6, Math.round(ctx.opts.insurees / 5000));
  const rows = Array.from({ length: count }, (_, i) => {
    // Every placement in turn: a village (the full walk), a district, a region, no location.
    const placement = i % 4;
    const village = geo.villages[geo.villagePicker.pick(rng)];
    const district = geo.districts[village.district];
    const location = placement === 0 ? village.id : placement === 1 ? district.id : placement === 2 ? geo.regions[district.region].id : null;
    const created = ctx.schemeStart + rng.int(0, Math.max(1, ctx.opts.today - ctx.schemeStart - 60));
    const changed = i % 3 === 1;
    const updated = changed ? created + rng.int(1, Math.max(2, ctx.opts.today - created - 1)) : created;
    const male = rng.bool(0.5);
    const code = `PH${String(i + 1).padStart(6, '0')}`;
    const name = `${placeName(rng)} ${KINDS[i % KINDS.length]}`;
    return {
      UUID: rng.uuid(),
      // One deleted holder, never the first ones that show every variant.
      isDeleted: i === count - 1,
      Json_ext: null,
      DateCreated: stamp(created, rng.int(8, 16) * 3600),
      DateUpdated: stamp(updated, rng.int(8, 16) * 3600 + (changed ? 1 : 0)),
      UserCreatedUUID: user.id,
      UserUpdatedUUID: user.id,
      version: changed ? 2 : 1,
      DateValidFrom: stamp(created, 0),
      DateValidTo: null,
      ReplacementUUID: null,
      PolicyHolderCode: code,
      TradeName: name,
      LocationsId: location,
      Address: JSON.stringify({ address: streetAddress(rng) }),
      Phone: phoneNumber(rng),
      Fax: rng.bool(0.4) || i === 0 ? phoneNumber(rng) : null,
      Email: `office@${slug(name)}.example`.slice(0, 255),
      ContactName: i % 5 === 4 ? null : JSON.stringify({ name: rng.pick(male ? MALE_NAMES : FEMALE_NAMES), surname: rng.pick(SURNAMES) }),
      LegalForm: (i % 5) + 1,
      ActivityCode: ((i + 2) % 5) + 1,
      AccountancyAccount: `411${String(i + 1).padStart(4, '0')}`,
      bankAccount: JSON.stringify({ bankAccount: `TZ${rng.digits(18)}` }),
      PaymentReference: `PAY-${code}`,
    };
  });
  await knex(TABLE).insert(rows);
  return rows.length;
}
