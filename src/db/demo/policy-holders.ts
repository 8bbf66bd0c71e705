/**
 * Demo policy holders (tblPolicyHolder, the modular policyholder module): companies and bodies that
 * enrol their staff, at several levels of the location tree, with the module's default legal forms
 * and activities. Rows as the Django HistoryModel writes them: created and updated by the Admin's
 * core_User, `version` counting the changes, isDeleted for a deleted one.
 */
import { locationId } from './locations.js';
import { demoUuid, type DemoClock, type Row, type TableRows } from './util.js';

// [code, trade name, location code (or null), legal form, activity, version, deleted, contact [name, surname]]
type PolicyHolderData = [string, string, string | null, number, number, number, boolean, [string, string] | null];

export const POLICY_HOLDERS: PolicyHolderData[] = [
  ['PH0001', 'Kilima Coffee Traders', 'R1D1M1V1', 2, 1, 2, false, ['Grace', 'Njeri']],
  ['PH0002', 'Baraka Builders Union', 'R1D2', 5, 3, 1, false, ['Daniel', 'Mushi']],
  ['PH0003', 'Pwani Shipping Ltd', 'R2D1M1', 2, 4, 1, false, null],
  ['PH0004', 'Amani Old Mills Association', 'R1D1', 3, 2, 2, true, ['Ali', 'Hassan']],
  ['PH0005', 'National Civil Service', null, 4, 5, 1, false, null],
];

export function buildPolicyHolders(clock: DemoClock): TableRows {
  const admin = demoUuid('core_User', 'Admin');
  const tblPolicyHolder: Row[] = POLICY_HOLDERS.map(([code, name, location, legalForm, activity, version, deleted, contact], i) => {
    const created = clock.time(-400 + 30 * i);
    return {
      UUID: demoUuid('tblPolicyHolder', code),
      isDeleted: deleted,
      Json_ext: null,
      DateCreated: created,
      // A changed or deleted row was last written later than it was created.
      DateUpdated: version > 1 ? clock.time(-20 + i) : created,
      UserCreatedUUID: admin,
      UserUpdatedUUID: admin,
      version,
      DateValidFrom: created,
      DateValidTo: null,
      ReplacementUUID: null,
      PolicyHolderCode: code,
      TradeName: name,
      LocationsId: location ? locationId(location) : null,
      Address: JSON.stringify({ address: `${10 + i} Market Street` }),
      Phone: `+255 22 200 ${String(100 + i)}`,
      Fax: i % 2 === 0 ? `+255 22 300 ${String(100 + i)}` : null,
      Email: `contact@${code.toLowerCase()}.example.org`,
      ContactName: contact ? JSON.stringify({ name: contact[0], surname: contact[1] }) : null,
      LegalForm: legalForm,
      ActivityCode: activity,
      AccountancyAccount: `4110${i + 1}`,
      bankAccount: JSON.stringify({ bankAccount: `TZ00 0000 0000 000${i + 1}` }),
      PaymentReference: `PAY-${code}`,
    };
  });
  return { tblPolicyHolder };
}
