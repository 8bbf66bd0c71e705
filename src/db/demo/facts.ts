/**
 * Identifiers of the demo dataset that tests and documentation rely on. They are literals on
 * purpose (readable, greppable); test/db checks them against the loaded database.
 * Dates are not listed: they are relative to the `today` given to loadDemoData.
 */

export const DEMO = {
  locations: {
    region: { id: 1, uuid: '5ca99db6-50df-4197-9418-3c8baf42a119', code: 'R1', name: 'Kilima', type: 'R' },
    district: { id: 3, uuid: '45a3335c-b0b6-4e35-bf35-81149aeea2a8', code: 'R1D1', name: 'Amani', type: 'D' },
    ward: { id: 8, uuid: 'ef0ad1bd-b555-469f-b3ae-7d5262588324', code: 'R1D1M1', name: 'Amani Mjini', type: 'W' },
    village: { id: 14, uuid: '4bc10a4e-b605-4db0-b395-3649fa2cddfc', code: 'R1D1M1V1', name: 'Mwanzo', type: 'V' },
    regionCodes: ['R1', 'R2'],
    districtCodes: ['R1D1', 'R1D2', 'R1D3', 'R2D1', 'R2D2'],
    /** District R1D2 "Baraka" was renamed from "Barakani": one history row (LocationId 23). */
    withHistory: { id: 4, uuid: '512eb90d-d00f-48cd-aba8-ac5412792efe', code: 'R1D2', name: 'Baraka', oldName: 'Barakani', historyRows: 1 },
    current: 22,
    rows: 24,
  },

  healthFacility: {
    id: 1, uuid: 'c5901210-543b-43e0-8071-f0b3dccd4bc8', code: 'AMHOS001', name: 'Amani District Hospital',
    level: 'H', careType: 'B', legalForm: 'G', districtCode: 'R1D1', claimAdminCode: 'AHOS0011', historyRows: 1,
  },
  healthFacilityCodes: ['AMHOS001', 'AMHC001', 'BADS001', 'CHHC001', 'DUHOS001', 'ENDS001', 'BAHOS001'],

  /** Policy holders (tblPolicyHolder, modular): Organization type bus. Legal form / activity codes 1-5. */
  policyHolders: {
    /** In village R1D1M1V1; changed once (version 2). */
    coffee: { uuid: '1836f5f0-c67b-4350-9d84-5ab984d43b0b', code: 'PH0001', name: 'Kilima Coffee Traders', locationCode: 'R1D1M1V1', legalForm: 2, activity: 1, version: 2 },
    /** In district R1D2 (the Clerk's). */
    builders: { uuid: '9b0ddd33-35b0-4817-bba3-f00f8e34d874', code: 'PH0002', name: 'Baraka Builders Union', locationCode: 'R1D2', legalForm: 5, activity: 3, version: 1 },
    /** In ward R2D1M1. */
    shipping: { uuid: '0f2b0e1e-4087-4282-9589-516bcbe71462', code: 'PH0003', name: 'Pwani Shipping Ltd', locationCode: 'R2D1M1', legalForm: 2, activity: 4, version: 1 },
    /** Deleted (isDeleted): reads answer 410. */
    deleted: { uuid: '6bcf4f9e-e3b5-4e4e-b6a6-aa2eecad3492', code: 'PH0004', name: 'Amani Old Mills Association', locationCode: 'R1D1' },
    /** No location: only unrestricted users see it. */
    noLocation: { uuid: 'ae647c5d-2e3e-4a4e-8fee-56e5e8c4cdd5', code: 'PH0005', name: 'National Civil Service', legalForm: 4, activity: 5 },
    current: 4,
  },

  /** Head of family 1 (5 members, village R1D1M1V1, active policy 1 of BASIC01). */
  headInsuree: {
    id: 1, uuid: 'd5d68207-2097-4299-a6e6-355d129fb2a6', chfid: '258372203', lastName: 'Mwangi', otherNames: 'John',
    dob: '1978-04-12', gender: 'M', phone: '+255 712 000 101', email: 'john.mwangi@example.org', photoId: 1,
    familyId: 1, familyUuid: 'eccea8b7-2a5e-4ab7-a6f6-bf963ba7efe4', familySize: 5,
    villageCode: 'R1D1M1V1', villageUuid: '4bc10a4e-b605-4db0-b395-3649fa2cddfc', policyId: 1,
  },
  /** Peter Mwangi: first registered as "Petro", then his education changed (two history rows, ids 36 and 37). */
  insureeWithHistory: {
    id: 3, uuid: '63c3b017-ba28-488e-bb9b-7c5e69c1c91f', chfid: '664033731', lastName: 'Mwangi', otherNames: 'Peter',
    historyRows: 2, historyIds: [36, 37], familyId: 1,
  },
  /** Agnes Otieno: phone changed once (history row 38). */
  insureeWithOneHistoryRow: { id: 7, uuid: '9b045de4-ce99-46a3-bcfd-c96c4823fb1b', chfid: '419564585', historyRows: 1 },
  /** Moses Wanjiku, removed from family 10: ValidityFrom = ValidityTo on row 35, history copy 39. */
  softDeletedInsuree: { id: 35, uuid: 'e69a470e-18c5-4593-852b-45120c0fd56a', chfid: '448742781', familyId: 10, historyId: 39 },
  insurees: { current: 34, rows: 39, families: 10, familyRows: 11 },
  /** Family 2 moved house: one history row (FamilyID 11). */
  familyWithHistory: { id: 2, uuid: '57c28eb5-ffad-4c67-89cc-8cd577ad8c0c', historyRows: 1, headInsureeId: 6 },

  products: {
    basic: { id: 1, uuid: '32d8ab49-5771-4199-891d-9b7915bbe73e', code: 'BASIC01', name: 'Basic Family Cover', regionCode: 'R1', lumpSum: 10000, historyRows: 1 },
    plus: { id: 2, uuid: 'a60d164d-7e89-44b3-b0fd-2af1ab609a70', code: 'PLUS01', name: 'Health Plus Cover', regionCode: 'R1', dedInsuree: 500, maxInsuree: 200000 },
    coastal: { id: 3, uuid: 'a87a6b98-a631-410b-a826-ad15e1da5c8b', code: 'COAST01', name: 'Coastal Family Cover', regionCode: 'R2', lumpSum: 12000 },
    national: { id: 4, uuid: 'b16d9cb6-1ea3-492e-9e8c-a7f9d7dee562', code: 'NATL01', name: 'National Individual Cover', regionCode: null },
  },
  productCodes: ['BASIC01', 'PLUS01', 'COAST01', 'NATL01'],

  /** One policy per status; active ones cover today, expired ones ended before today. */
  policies: {
    active: { id: 1, uuid: '5af0f552-c4ae-4055-908e-1afd7305d5fc', status: 2, familyId: 1, productCode: 'BASIC01', historyRows: 1 },
    idle: { id: 3, uuid: '5e8242f4-031a-4525-a7bb-d2d5217e9a1e', status: 1, familyId: 3, productCode: 'BASIC01' },
    suspended: { id: 4, uuid: '9b1a8fa6-fd56-4715-a4ff-582793515513', status: 4, familyId: 4, productCode: 'BASIC01' },
    expired: { id: 5, uuid: 'ec7bc21e-8c8d-4318-bf19-f97083b56c09', status: 8, familyId: 5, productCode: 'BASIC01' },
    ready: { id: 6, uuid: 'c16cbe3d-dc63-4a46-9857-65ba25be0a6a', status: 16, familyId: 5, productCode: 'BASIC01', stage: 'R' },
    /** Family 10 has only an expired policy. */
    expiredOnly: { id: 11, uuid: '77a39043-62d4-468d-afe1-cafffe7204aa', status: 8, familyId: 10, productCode: 'BASIC01' },
  },
  payer: { id: 1, uuid: 'abcf2230-6cea-4b90-9b8c-0b2374a64e3f', name: 'Kilima Coffee Growers Co-operative', type: 'C' },
  premium: { id: 1, uuid: '0386df16-14cc-4d60-bff2-6dc8e3d0cc13', policyId: 1, amount: 10000, receipt: 'RCP-0001', payType: 'C' },

  /** One claim per status (plus a second "entered" and "checked" and "valuated" one). */
  claims: {
    entered: { id: 1, uuid: '2cf114a5-c621-4bfa-b44e-52b716d16940', code: 'AM000001', status: 2, hfCode: 'AMHOS001', chfid: '258372203', claimed: 4100 },
    checked: { id: 2, uuid: '7b6eb7e5-3e48-4dc7-a387-4522aadc749a', code: 'AM000002', status: 4, hfCode: 'AMHOS001', chfid: '738500044', claimed: 16160, approved: 16160, historyRows: 1, reviewStatus: 4, feedbackStatus: 4 },
    rejected: { id: 3, uuid: '0b35ba98-b890-4f23-bbe3-751b7be1f782', code: 'AM000003', status: 1, hfCode: 'AMHOS001', chfid: '419564585', claimed: 5300, lineRejectionReasons: [3, 2] },
    partlyRejected: { id: 4, uuid: '50d71c87-f889-4c28-a409-5412a066cb73', code: 'AC000001', status: 4, hfCode: 'AMHC001', chfid: '883981055', claimed: 6600, approved: 5100 },
    valuated: { id: 5, uuid: 'fd716d06-147b-45f3-b839-45a8470eb229', code: 'AM000004', status: 16, hfCode: 'AMHOS001', chfid: '526565211', claimed: 47700, approved: 47700, valuated: 47200, feedbackStatus: 8, feedbackId: 1 },
    processed: { id: 6, uuid: 'f899e107-a7a3-4475-99ff-892edbb8c5be', code: 'DU000001', status: 8, hfCode: 'DUHOS001', chfid: '435804725', claimed: 4080, approved: 4080 },
    valuatedByBatch: { id: 7, uuid: 'db9dcc15-e7ec-4451-a8cd-a5945da75af3', code: 'DU000002', status: 16, hfCode: 'DUHOS001', chfid: '269755500', claimed: 56880, valuated: 51780, runId: 1 },
    enteredElsewhere: { id: 8, uuid: '1c4d65a7-ebdd-40b5-baf7-b44c86e46680', code: 'BA000001', status: 2, hfCode: 'BADS001', chfid: '607331734', claimed: 1480 },
  },
  claimCounts: { current: 8, rows: 9 },
  feedback: { id: 1, uuid: '9caadcd1-5aca-4bc3-a256-8b4d119ce328', claimId: 5 },

  claimAdmin: { id: 1, uuid: 'f27ae22a-591b-4cfb-a7f6-9204b7f2d031', code: 'AHOS0011', lastName: 'Kariuki', otherNames: 'James', hfCode: 'AMHOS001' },
  officer: {
    id: 1, uuid: 'd5a29dfa-07e5-46fc-9575-aa963caf1882', code: 'E00001', lastName: 'Kamau', otherNames: 'Peter',
    districtCode: 'R1D1', villageCodes: ['R1D1M1V1', 'R1D1M1V2', 'R1D1M2V1'], substituteCode: 'E00002',
  },
  officerCodes: ['E00001', 'E00002', 'E00003', 'E00004'],

  registers: {
    items: 21, services: 15, icdCodes: 30,
    item: { id: 1, uuid: '57bb2a1d-706e-439d-be59-a9bc669a8247', code: 'PARA50', name: 'Paracetamol 500 mg tablets', price: 10 },
    service: { id: 1, uuid: '8a019681-1004-4cbf-838d-37d9a28ff851', code: 'OPD01', name: 'General outpatient consultation', price: 1500 },
    icd: { id: 7, code: 'B54', name: 'Unspecified malaria' },
  },

  /** Role ids of the system roles (tblRole.RoleID → IsSystem bit). */
  roles: {
    enrolmentOfficer: { id: 1, isSystem: 1 }, manager: { id: 2, isSystem: 2 }, accountant: { id: 3, isSystem: 4 },
    clerk: { id: 4, isSystem: 8 }, medicalOfficer: { id: 5, isSystem: 16 }, schemeAdministrator: { id: 6, isSystem: 32 },
    imisAdministrator: { id: 7, isSystem: 64 }, receptionist: { id: 8, isSystem: 128 }, claimAdministrator: { id: 9, isSystem: 256 },
    claimContributor: { id: 10, isSystem: 512 }, hfAdministrator: { id: 11, isSystem: 524288 }, offlineAdministrator: { id: 12, isSystem: 1048576 },
  },

  /** Demo logins. Passwords are stored with the openIMIS rule (SHA-256 of password + PrivateKey). */
  users: {
    admin: {
      id: 1, uuid: '20ae55c6-006e-4dce-8e8f-c7bf30fb3b19', login: 'Admin', password: 'admin123', roles: ['IMIS Administrator'],
      districtCodes: ['R1D1', 'R1D2', 'R1D3', 'R2D1', 'R2D2'], hfCode: null,
      sees: 'everything (IsSystem 64 passes every right and location check); one history row with an old password',
    },
    claimAdmin: {
      id: 2, uuid: 'e7612828-9637-472b-8e95-5a0347beea5f', login: 'AHOS0011', password: 'claims123', roles: ['Claim Administrator'],
      districtCodes: ['R1D1'], hfCode: 'AMHOS001',
      sees: 'claims of AMHOS001 only (tblUsers.HFID = 1): claims 1, 2, 3, 5; rights 111001/2/4/5/6/7',
    },
    enrolmentOfficer: {
      id: 3, uuid: '322425e2-d364-4975-bff5-7098a80d240d', login: 'E00001', password: 'officer123', roles: ['Enrolment Officer'],
      districtCodes: ['R1D1'], hfCode: null, villageCodes: ['R1D1M1V1', 'R1D1M1V2', 'R1D1M2V1'],
      sees: 'families 1, 2, 5, 10 (his villages); family/insuree/policy/contribution rights, claim search and feedback',
    },
    clerk: {
      id: 4, uuid: '9e4089c7-3b29-44bd-ac4b-59d900f41da9', login: 'Clerk', password: 'clerk123', roles: ['Clerk'],
      districtCodes: ['R1D2'], hfCode: null,
      sees: 'families 3 and 4 in district R1D2 only; family/insuree/policy/contribution rights, no claims',
    },
    noRoles: {
      id: 5, uuid: '4ef9c8e3-e6c8-4a8b-9f3a-9dfaecb6e948', login: 'NoRoles', password: 'noroles123', roles: [],
      districtCodes: [], hfCode: null,
      sees: 'nothing: can log in but holds no right',
    },
  },

  /** Technical users (core_TechnicalUser, Django PBKDF2-SHA256 hashes), bound through core_User. */
  technicalUsers: {
    superuser: {
      login: 'TechAdmin', password: 'techadmin123', isSuperuser: true,
      sees: 'everything: a superuser passes every right; technical users skip row security (warning logged)',
    },
    reader: {
      login: 'TechReader', password: 'techreader123', isSuperuser: false,
      sees: 'every row, but only interactions that need no openIMIS right (Django permissions never match a RightID)',
    },
  },
} as const;
