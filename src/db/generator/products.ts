/**
 * Insurance products (tblProduct): per region a lump-sum "Basic Cover" for up to six members and a
 * per-person "Fixed Cycle Cover" (cycles starting 1 January and 1 July), plus one national
 * "Premium Family Cover" with relative pricing of in-patient care. Product items/services list what
 * each product covers; the payers (tblPayer) are created here too.
 */
import type { GeneratorContext } from './context.js';
import { stamp, isoDay } from './dates.js';
import type { Geography } from './locations.js';
import { phoneNumber, placeName } from './names.js';
import type { Registers } from './registers.js';

export type ProductKind = 'basic' | 'cycle' | 'national';

export interface Product {
  index: number;
  id: number;
  code: string;
  kind: ProductKind;
  region: number | null;
  lumpSum: number;
  memberCount: number;
  premiumAdult: number;
  premiumChild: number;
  /** 1 when the register line (by index) is covered. */
  coversItem: Uint8Array;
  coversService: Uint8Array;
  /** PriceOrigin of in-patient lines ('R' relative pricing for the national product). */
  inpatientOrigin: 'P' | 'R';
}

export interface Products {
  list: Product[];
  /** Products a family of a region can buy, with their relative popularity. */
  byRegion: { products: number[]; weights: number[] }[];
  /** Payer ids per region. */
  payersByRegion: number[][];
}

const PRODUCT_COLUMNS = [
  'ProdID', 'ProdUUID', 'ProductCode', 'ProductName', 'LocationId', 'InsurancePeriod', 'DateFrom', 'DateTo', 'ConversionProdID',
  'LumpSum', 'MemberCount', 'PremiumAdult', 'PremiumChild', 'DedInsuree', 'DedOPInsuree', 'DedIPInsuree', 'MaxInsuree',
  'MaxOPInsuree', 'MaxIPInsuree', 'PeriodRelPrices', 'PeriodRelPricesOP', 'PeriodRelPricesIP', 'AccCodePremiums',
  'AccCodeRemuneration', 'DedTreatment', 'DedOPTreatment', 'DedIPTreatment', 'MaxTreatment', 'MaxOPTreatment',
  'MaxIPTreatment', 'DedPolicy', 'DedOPPolicy', 'DedIPPolicy', 'MaxPolicy', 'MaxOPPolicy', 'MaxIPPolicy', 'GracePeriod',
  'GracePeriodRenewal', 'MaxInstallments', 'WaitingPeriod', 'Threshold', 'RenewalDiscountPerc', 'RenewalDiscountPeriod',
  'EnrolmentDiscountPerc', 'EnrolmentDiscountPeriod', 'RegistrationFee', 'RegistrationLumpSum', 'GeneralAssemblyFee',
  'GeneralAssemblyLumpSum', 'MaxNoConsultation', 'MaxNoSurgery', 'MaxNoDelivery', 'MaxNoHospitalizaion', 'MaxNoVisits',
  'MaxNoAntenatal', 'MaxAmountConsultation', 'MaxAmountSurgery', 'MaxAmountDelivery', 'MaxAmountHospitalization',
  'MaxAmountAntenatal', 'MaxPolicyExtraMember', 'MaxPolicyExtraMemberIP', 'MaxPolicyExtraMemberOP', 'MaxCeilingPolicy',
  'MaxCeilingPolicyIP', 'MaxCeilingPolicyOP', 'CeilingInterpretation', 'AdministrationPeriod', 'Level1', 'Sublevel1',
  'Level2', 'Sublevel2', 'Level3', 'Sublevel3', 'Level4', 'Sublevel4', 'ShareContribution', 'WeightPopulation',
  'WeightNumberFamilies', 'WeightInsuredPopulation', 'WeightNumberInsuredFamilies', 'WeightNumberVisits',
  'WeightAdjustedAmount', 'StartCycle1', 'StartCycle2', 'StartCycle3', 'StartCycle4', 'Recurrence',
  'ValidityFrom', 'ValidityTo', 'LegacyID', 'AuditUserID',
] as const;

const LINE_TAIL = [
  'LimitationType', 'PriceOrigin', 'LimitAdult', 'LimitChild', 'WaitingPeriodAdult', 'WaitingPeriodChild', 'LimitNoAdult',
  'LimitNoChild', 'LimitationTypeR', 'LimitationTypeE', 'LimitAdultR', 'LimitAdultE', 'LimitChildR', 'LimitChildE',
  'CeilingExclusionAdult', 'CeilingExclusionChild', 'ValidityFrom', 'ValidityTo', 'LegacyID', 'AuditUserID',
] as const;
const PRODUCT_ITEM_COLUMNS = ['ProdItemID', 'ProdID', 'ItemID', ...LINE_TAIL] as const;
const PRODUCT_SERVICE_COLUMNS = ['ProdServiceID', 'ProdID', 'ServiceID', ...LINE_TAIL] as const;
const PAYER_COLUMNS = ['PayerID', 'PayerUUID', 'PayerType', 'PayerName', 'PayerAddress', 'Phone', 'Fax', 'eMail', 'LocationId',
  'ValidityFrom', 'ValidityTo', 'LegacyID', 'AuditUserID'] as const;

type Row = (string | number | boolean | null)[];

/** A tblProduct row in PRODUCT_COLUMNS order; columns not given are NULL. */
function productRow(values: Partial<Record<(typeof PRODUCT_COLUMNS)[number], string | number | boolean | null>>): Row {
  return PRODUCT_COLUMNS.map((column) => values[column] ?? null);
}

/**
 * What each kind of product charges besides the premium and where it limits cover, as schemes set
 * them: the family lump-sum product a registration and general-assembly lump sum per family, a cap
 * per insuree and a number of visits; the per-person cycle product fees per person and a deductible
 * per insuree; the national product in-patient deductibles and amount caps per care category.
 */
const COSTS: Record<ProductKind, Partial<Record<(typeof PRODUCT_COLUMNS)[number], number | null>>> = {
  basic: { RegistrationLumpSum: 2000, RegistrationFee: 0, GeneralAssemblyLumpSum: 1000, GeneralAssemblyFee: 0, MaxInsuree: 150_000, MaxNoVisits: 24 },
  cycle: { RegistrationLumpSum: 0, RegistrationFee: 500, GeneralAssemblyLumpSum: 0, GeneralAssemblyFee: 200, DedInsuree: 1000, MaxOPInsuree: 60_000 },
  national: {
    RegistrationLumpSum: 0, RegistrationFee: 0, GeneralAssemblyLumpSum: 0, GeneralAssemblyFee: 0,
    DedIPInsuree: 5000, DedOPTreatment: 500, MaxIPInsuree: 1_000_000,
    MaxAmountSurgery: 600_000, MaxAmountDelivery: 150_000, MaxAmountHospitalization: 1_000_000, MaxAmountAntenatal: 40_000,
  },
};

export async function generateProducts(ctx: GeneratorContext, geo: Geography, reg: Registers): Promise<Products> {
  const rng = ctx.rng('products');
  const setup = ctx.setupStamp;
  const dateFrom = stamp(ctx.schemeStart - 60);
  const dateTo = stamp(ctx.opts.today + 5 * 365);
  const productRows: Row[] = [];
  const itemRows: Row[] = [];
  const serviceRows: Row[] = [];
  const list: Product[] = [];

  const addProduct = (kind: ProductKind, region: number | null, code: string, name: string) => {
    const id = ctx.ids.take('tblProduct');
    const round = (v: number) => Math.round(v / 500) * 500;
    const lumpSum = kind === 'basic' ? round(10_000 + rng.float() * 10_000) : kind === 'national' ? round(30_000 + rng.float() * 10_000) : 0;
    const memberCount = kind === 'cycle' ? 10 : 6;
    const premiumAdult = kind === 'cycle' ? round(3000 + rng.float() * 2000) : round(lumpSum / 6);
    const premiumChild = kind === 'cycle' ? round(premiumAdult * 0.5) : round(lumpSum / 12);
    const product: Product = {
      index: list.length, id, code, kind, region, lumpSum, memberCount, premiumAdult, premiumChild,
      coversItem: new Uint8Array(reg.items.length), coversService: new Uint8Array(reg.services.length),
      inpatientOrigin: kind === 'national' ? 'R' : 'P',
    };
    list.push(product);
    const locationId = region === null ? null : geo.regions[region].id;
    const ceiling = kind === 'national' ? 2_000_000 : 500_000;
    const row = (lump: number, adult: number, child: number, validFrom: string, validTo: string | null, legacy: number | null, rowId: number): Row =>
      productRow({
        ProdID: rowId, ProdUUID: rng.uuid(), ProductCode: code, ProductName: name, LocationId: locationId, InsurancePeriod: 12,
        DateFrom: dateFrom, DateTo: dateTo, LumpSum: lump, MemberCount: memberCount, PremiumAdult: adult, PremiumChild: child,
        ...COSTS[kind], PeriodRelPricesIP: kind === 'national' ? 'M' : null,
        AccCodePremiums: `PR${code}`.slice(0, 25), AccCodeRemuneration: `RM${code}`.slice(0, 25), MaxPolicy: ceiling,
        GracePeriod: 1, GracePeriodRenewal: 1, MaxInstallments: kind === 'cycle' ? 1 : 2, WaitingPeriod: kind === 'national' ? 3 : 0,
        Threshold: 6, RenewalDiscountPerc: 0, RenewalDiscountPeriod: 0, EnrolmentDiscountPerc: 0, EnrolmentDiscountPeriod: 0,
        MaxNoConsultation: kind === 'cycle' ? null : 12, MaxNoSurgery: 4, MaxNoDelivery: 4, MaxNoHospitalizaion: 20,
        MaxNoAntenatal: 10, MaxPolicyExtraMember: 0, MaxPolicyExtraMemberIP: 0, MaxPolicyExtraMemberOP: 0, MaxCeilingPolicy: ceiling,
        CeilingInterpretation: kind === 'national' ? 'I' : 'H', Level1: 'H', Sublevel1: 'R', Level2: 'C', Level3: 'D', Sublevel3: 'N',
        ShareContribution: 100, WeightPopulation: 0, WeightNumberFamilies: 0, WeightInsuredPopulation: 0,
        WeightNumberInsuredFamilies: 0, WeightNumberVisits: 0, WeightAdjustedAmount: 0,
        StartCycle1: kind === 'cycle' ? '01-01' : null, StartCycle2: kind === 'cycle' ? '01-07' : null,
        ValidityFrom: validFrom, ValidityTo: validTo, LegacyID: legacy, AuditUserID: ctx.adminUserId,
      });
    // Each product had one earlier version with lower prices.
    const revised = stamp(ctx.schemeStart + rng.int(200, 900), 11 * 3600);
    productRows.push(row(Math.round(lumpSum * 0.8), Math.round(premiumAdult * 0.8), Math.round(premiumChild * 0.8), setup, revised, id, ctx.ids.take('tblProduct')));
    productRows.push(row(lumpSum, premiumAdult, premiumChild, revised, null, null, id));

    const share = kind === 'national' ? 1 : kind === 'basic' ? 0.93 : 0.85;
    for (const item of reg.items) {
      if (!rng.bool(share)) continue;
      product.coversItem[item.index] = 1;
      const origin = item.careType === 'I' ? product.inpatientOrigin : 'P';
      itemRows.push([ctx.ids.take('tblProductItems'), id, item.id, 'C', origin, 100, 100, 0, 0, null, null, null, null, null, null, null, null, null, null, setup, null, null, ctx.adminUserId]);
    }
    for (const service of reg.services) {
      if (!rng.bool(share) && service.category !== 'C') continue;
      product.coversService[service.index] = 1;
      const origin = service.careType === 'I' ? product.inpatientOrigin : 'P';
      const waiting = service.category === 'D' ? 9 : service.category === 'S' ? 3 : 0;
      serviceRows.push([ctx.ids.take('tblProductServices'), id, service.id, 'C', origin, 100, 100, waiting, waiting, null, null, null, null, null, null, null, null, null, null, setup, null, null, ctx.adminUserId]);
    }
    return product.index;
  };

  const national = addProduct('national', null, 'PFC00001', 'Premium Family Cover');
  const byRegion = geo.regions.map((region) => {
    const n = String(region.index + 1).padStart(3, '0');
    const basic = addProduct('basic', region.index, `BC${n}001`, `Basic Cover ${region.name}`);
    const cycle = addProduct('cycle', region.index, `FC${n}001`, `Fixed Cycle Cover ${region.name}`);
    return { products: [basic, cycle, national], weights: [70, 25, 5] };
  });

  const payerRows: Row[] = [];
  const payersByRegion = geo.regions.map((region) => {
    const ids: number[] = [];
    const count = rng.int(3, 6);
    for (let k = 0; k < count; k++) {
      const id = ctx.ids.take('tblPayer');
      ids.push(id);
      const type = rng.weighted(['C', 'D', 'G', 'L', 'O', 'P'], [35, 10, 15, 20, 5, 15]);
      const place = placeName(rng);
      const name = {
        C: `${place} Farmers Co-operative`, D: `${place} Health Trust`, G: `Regional Administration ${region.name}`,
        L: `${place} Town Council`, O: `${place} Community Fund`, P: `${place} Tea Estates Ltd`,
      }[type]!;
      payerRows.push([id, rng.uuid(), type, name, `P.O. Box ${rng.int(1, 9999)}, ${region.name}`, phoneNumber(rng), null, null, region.id, setup, null, null, ctx.adminUserId]);
    }
    return ids;
  });

  await ctx.target.load('tblProduct', PRODUCT_COLUMNS, productRows);
  await ctx.target.load('tblProductItems', PRODUCT_ITEM_COLUMNS, itemRows);
  await ctx.target.load('tblProductServices', PRODUCT_SERVICE_COLUMNS, serviceRows);
  await ctx.target.load('tblPayer', PAYER_COLUMNS, payerRows);
  ctx.notes.push(`${list.length} products (one national, two per region), ${isoDay(ctx.schemeStart - 60)} → ${isoDay(ctx.opts.today + 5 * 365)}`);
  return { list, byRegion, payersByRegion };
}
