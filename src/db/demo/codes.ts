/**
 * Code tables (values as in the openIMIS base data, research notes §6.7, with French labels in
 * AltLanguage), the single tblIMISDefaults row, tblIMISDefaultsPhone rules and tblControls rules.
 */
import type { TableRows } from './util.js';

type Code = [code: string | number, label: string, french: string];

const rows = (codeColumn: string, labelColumn: string, codes: Code[]) =>
  codes.map(([code, label, french], i) => ({ [codeColumn]: code, [labelColumn]: label, AltLanguage: french, SortOrder: i + 1 }));

export const CODE_ROWS: TableRows = {
  tblGender: rows('Code', 'Gender', [
    ['M', 'Male', 'Masculin'],
    ['F', 'Female', 'Féminin'],
    ['O', 'Other', 'Autre'],
  ]),
  tblProfessions: rows('ProfessionId', 'Profession', [
    [1, 'Housewife', 'Femme au foyer'],
    [2, 'Employee', 'Employé'],
    [3, 'Self Employee', 'Indépendant'],
    [4, 'Others', 'Autres'],
  ]),
  tblEducations: rows('EducationId', 'Education', [
    [1, 'Nursery', 'Maternelle'],
    [2, 'Primary school', 'École primaire'],
    [3, 'Secondary school', 'École secondaire'],
    [4, 'University', 'Université'],
    [5, 'Postgraduate studies', 'Études supérieures'],
    [6, 'PHD', 'Doctorat'],
    [7, 'Other', 'Autre'],
  ]),
  tblIdentificationTypes: rows('IdentificationCode', 'IdentificationTypes', [
    ['D', "Driver's License", 'Permis de conduire'],
    ['N', 'National ID', "Carte d'identité nationale"],
    ['P', 'Passport', 'Passeport'],
    ['V', 'Voter Card', "Carte d'électeur"],
  ]),
  tblRelations: rows('RelationId', 'Relation', [
    [1, 'Brother/Sister', 'Frère/Sœur'],
    [2, 'Father/Mother', 'Père/Mère'],
    [3, 'Uncle/Aunt', 'Oncle/Tante'],
    [4, 'Son/Daughter', 'Fils/Fille'],
    [5, 'Grand parents', 'Grands-parents'],
    [6, 'Employee', 'Employé'],
    [7, 'Others', 'Autres'],
    [8, 'Spouse', 'Conjoint'],
  ]),
  tblFamilyTypes: rows('FamilyTypeCode', 'FamilyType', [
    ['C', 'Council', 'Conseil'],
    ['G', 'Organization', 'Organisation'],
    ['H', 'Household', 'Ménage'],
    ['O', 'Other', 'Autre'],
    ['P', 'Priests', 'Prêtres'],
    ['S', 'Students', 'Étudiants'],
    ['T', 'Teachers', 'Enseignants'],
  ]),
  tblConfirmationTypes: rows('ConfirmationTypeCode', 'ConfirmationType', [
    ['A', 'Local council', 'Conseil local'],
    ['B', 'Municipality', 'Municipalité'],
    ['C', 'State', 'État'],
    ['D', 'Other', 'Autre'],
  ]),
  tblHFSublevel: rows('HFSublevel', 'HFSublevelDesc', [
    ['I', 'Integrated', 'Intégré'],
    ['N', 'No Sublevel', 'Pas de sous-niveau'],
    ['R', 'Reference', 'Référence'],
  ]),
  tblLegalForms: rows('LegalFormCode', 'LegalForms', [
    ['C', 'Charity', 'Organisation caritative'],
    ['D', 'District organization', 'Organisation de district'],
    ['G', 'Government', 'Gouvernement'],
    ['P', 'Private organization', 'Organisation privée'],
  ]),
  tblPayerType: rows('Code', 'PayerType', [
    ['C', 'Co-operative', 'Coopérative'],
    ['D', 'Donor', 'Donateur'],
    ['G', 'Government', 'Gouvernement'],
    ['L', 'Local Authority', 'Autorité locale'],
    ['O', 'Other', 'Autre'],
    ['P', 'Private Organization', 'Organisation privée'],
  ]),
  tblCeilingInterpretation: rows('CeilingIntCode', 'CeilingIntDesc', [
    ['H', 'Hospital', 'Hôpital'],
    ['I', 'In-Patient', 'Hospitalisation'],
  ]),
  tblLanguages: [
    { LanguageCode: 'en', LanguageName: 'English', SortOrder: 1, CountryCode: 'GB' },
    { LanguageCode: 'fr', LanguageName: 'Français', SortOrder: 2, CountryCode: 'FR' },
  ],

  tblIMISDefaults: [
    {
      DefaultID: 1,
      PolicyRenewalInterval: 14,
      FTPHost: null,
      AssociatedPhotoFolder: 'Images\\Updated\\',
      AppVersionBackEnd: 1.2,
      AppVersionEnquire: 1.1,
      AppVersionEnroll: 1.1,
      AppVersionRenewal: 1.1,
      AppVersionFeedback: 1.1,
      AppVersionClaim: 1.1,
      AppVersionFeedbackRenewal: 1.1,
      AppVersionImis: 1.4,
      OffLineHF: 0,
      OfflineCHF: 0,
      SMSDlr: 0,
      SMSType: 1,
      // ActivationOption 2 = activate a policy when fully paid; set explicitly like the SQL Server default.
      ActivationOption: 2,
      // SQL Server defaults this to 0, PostgreSQL to true: the demo sets it explicitly.
      BypassReviewClaim: false,
    },
  ],
  tblIMISDefaultsPhone: [
    { RuleName: 'AllowInsureeWithoutPhoto', RuleValue: false, Usage: 'Enrolment' },
    { RuleName: 'AllowFamilyWithoutPolicy', RuleValue: false, Usage: 'Enrolment' },
    { RuleName: 'AllowPolicyWithoutPremium', RuleValue: false, Usage: 'Enrolment' },
  ],
  tblControls: [
    { FieldName: 'ClaimAdministrator', Adjustibility: 'M', Usage: 'FindClaim, Claim, ClaimReview, ClaimFeedback' },
    { FieldName: 'Guarantee', Adjustibility: 'O', Usage: 'Claim' },
    { FieldName: 'Education', Adjustibility: 'O', Usage: 'Insuree, Family' },
    { FieldName: 'Profession', Adjustibility: 'O', Usage: 'Insuree, Family' },
    { FieldName: 'IdentificationType', Adjustibility: 'O', Usage: 'Insuree, Family' },
    { FieldName: 'IdentificationNumber', Adjustibility: 'O', Usage: 'Insuree, Family' },
    { FieldName: 'InsureeEmail', Adjustibility: 'O', Usage: 'Insuree, Family' },
    { FieldName: 'ConfirmationNo', Adjustibility: 'O', Usage: 'Family' },
  ],
};
