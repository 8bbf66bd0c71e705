/**
 * Claim attachments ⇄ claim_ClaimAttachment, the table of openIMIS's claim module (modular openIMIS,
 * src/db/legacy-schema/tables-modular.ts; an older database lacks it: the server detects it at start,
 * src/db/optional-tables.ts, and without
 * it claims simply have no attachments and a claim sent with one is refused with a clear 422).
 *
 * Wire format of the openIMIS FHIR module: Claim.supportingInfo with category `attachment`
 * (claim-supporting-info-category) and valueAttachment {contentType, data (base64), title, creation};
 * on input the content type must match the module's MIME rule and an optional `hash` must be the
 * SHA-1 of the data. Unlike the module, every attachment is served (it kept only the last one).
 *
 * Stored the module's way: one row per attachment (id = a new UUID, title, filename = title, mime,
 * date, document = the base64 data, claim_id), history by validity: a changed set of attachments closes
 * the rows no longer sent (ValidityTo = change time) and inserts the new ones; deleting the claim
 * closes them all. A history version of a claim shows the attachments valid just before it closed.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Attachment, Claim, ClaimSupportingInfo } from 'fhir/r4.js';
import type { RequestContext, Row } from '../../fhir/types.js';
import { Problems } from '../problems.js';
import { codeSystem } from '../ig.js';
import { dayText } from './details.js';

export const ATTACHMENT_TABLE = 'claim_ClaimAttachment';
const CATEGORY_SYSTEM = codeSystem('claim-supporting-info-category');
const KEY = '_claimAttachments';
const CHUNK = 1000;

/** The module's accepted MIME types (R4_fhir_claim_config), and PDF, the most common claim document. */
const MIME = /^(text\/.*|image\/png|image\/jpe?g|application\/msword|application\/pdf|.*doc.*)$/i;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export interface AttachmentInput {
  title: string | null;
  mime: string;
  date: string | null;
  document: string;
}

const isAttachment = (info: ClaimSupportingInfo) => (info.category?.coding?.[0]?.code ?? info.category?.text) === 'attachment';

/** The attachments of an incoming claim; every problem reported at once (422). */
export function attachmentsOf(claim: Claim, tablePresent: boolean): AttachmentInput[] {
  const p = new Problems();
  const out: AttachmentInput[] = [];
  (claim.supportingInfo ?? []).forEach((info, i) => {
    if (!isAttachment(info)) return;
    const expression = `Claim.supportingInfo[${i}]`;
    if (!tablePresent) {
      p.add(`${expression}.category`, `this openIMIS database has no claim attachment table (${ATTACHMENT_TABLE}, openIMIS claim module)`, 'not-supported');
      return;
    }
    const value: Attachment | undefined = info.valueAttachment;
    if (!value) {
      p.add(`${expression}.valueAttachment`, 'an attachment needs a valueAttachment', 'required');
      return;
    }
    const mime = p.text(`${expression}.valueAttachment.contentType`, value.contentType, { max: 255, required: true });
    if (mime && !MIME.test(mime)) p.add(`${expression}.valueAttachment.contentType`, `"${mime}" is not an accepted document type (text, PNG, JPEG, PDF, Word documents)`, 'value');
    const data = typeof value.data === 'string' ? value.data.replace(/\s+/g, '') : '';
    if (!data) p.add(`${expression}.valueAttachment.data`, 'the document (base64) is required', 'required');
    else if (!BASE64.test(data)) p.add(`${expression}.valueAttachment.data`, 'is not base64');
    else if (value.hash && !hashMatches(value.hash, data)) p.add(`${expression}.valueAttachment.hash`, 'is not the SHA-1 of the data');
    const title = p.text(`${expression}.valueAttachment.title`, value.title, { max: 10_000 });
    const date = value.creation ? p.date(`${expression}.valueAttachment.creation`, value.creation.slice(0, 10)) : null;
    if (mime && data) out.push({ title, mime, date, document: data });
  });
  p.throwIfAny();
  return out;
}

/** FHIR's hash is the base64 SHA-1 of the bytes; the hex form is accepted too. */
function hashMatches(hash: string, data: string): boolean {
  const digest = createHash('sha1').update(Buffer.from(data, 'base64'));
  const hex = digest.copy().digest('hex');
  return hash.trim() === digest.digest('base64') || hash.trim().toLowerCase() === hex;
}

/** Writes the claim's attachments: unchanged ones stay, missing ones are closed, new ones inserted. */
export async function saveAttachments(tx: Knex.Transaction, claimId: number, wanted: AttachmentInput[], at: Date): Promise<void> {
  const current: Row[] = await tx(ATTACHMENT_TABLE).where('claim_id', claimId).whereNull('ValidityTo');
  const same = (row: Row, a: AttachmentInput) => row.title === a.title && row.mime === a.mime && row.document === a.document;
  const kept = new Set<Row>();
  const added: AttachmentInput[] = [];
  for (const attachment of wanted) {
    const match = current.find((row) => !kept.has(row) && same(row, attachment));
    if (match) kept.add(match);
    else added.push(attachment);
  }
  const closed = current.filter((row) => !kept.has(row)).map((row) => row.id);
  if (closed.length) await tx(ATTACHMENT_TABLE).whereIn('id', closed).update({ ValidityTo: at });
  if (added.length) {
    await tx(ATTACHMENT_TABLE).insert(
      added.map((a) => ({
        id: randomUUID(),
        ValidityFrom: at,
        title: a.title,
        filename: a.title,
        mime: a.mime,
        date: a.date ?? at.toISOString().slice(0, 10),
        document: a.document,
        claim_id: claimId,
      })),
    );
  }
}

/** Closes every current attachment of a deleted claim. */
export async function closeAttachments(tx: Knex.Transaction, claimId: number, at: Date): Promise<void> {
  await tx(ATTACHMENT_TABLE).where('claim_id', claimId).whereNull('ValidityTo').update({ ValidityTo: at });
}

/** Loads the attachments of a page of claim rows in one query per thousand claims. */
export async function loadAttachments(rows: Row[], ctx: RequestContext): Promise<void> {
  if (rows.length === 0) return;
  const entityOf = (row: Row) => Number(row.LegacyID ?? row.ClaimID);
  const ids = [...new Set(rows.map(entityOf))];
  const allCurrent = rows.every((r) => r.ValidityTo == null);
  const found: Row[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const query = ctx.db(ATTACHMENT_TABLE)
      .select('id', 'claim_id', 'title', 'mime', 'date', 'document', 'url', 'ValidityFrom', 'ValidityTo')
      .whereIn('claim_id', ids.slice(i, i + CHUNK))
      // Attachments sent together share their ValidityFrom: then by document date and title.
      .orderBy('ValidityFrom')
      .orderBy('date')
      .orderBy('title')
      .orderBy('id');
    if (allCurrent) query.whereNull('ValidityTo');
    found.push(...(await query));
  }
  for (const row of rows) {
    const closedAt = row.ValidityTo == null ? undefined : new Date(row.ValidityTo).getTime();
    row[KEY] = found.filter((a) => {
      if (Number(a.claim_id) !== entityOf(row)) return false;
      if (closedAt === undefined) return a.ValidityTo == null;
      // The attachments as they were just before this version was closed.
      return new Date(a.ValidityFrom).getTime() < closedAt && (a.ValidityTo == null || new Date(a.ValidityTo).getTime() >= closedAt);
    });
  }
}

/** supportingInfo entries of the attachments loaded for a row (none when the table is absent). */
export function attachmentInfo(row: Row, firstSequence: number): ClaimSupportingInfo[] {
  const attachments = (row[KEY] as Row[] | undefined) ?? [];
  return attachments.map((a, i) => {
    const value: Attachment = { contentType: String(a.mime) };
    if (a.document) value.data = String(a.document);
    else if (a.url) value.url = String(a.url);
    if (a.title) value.title = String(a.title);
    const creation = dayText(a.date);
    if (creation) value.creation = creation;
    return {
      sequence: firstSequence + i,
      category: { coding: [{ system: CATEGORY_SYSTEM, code: 'attachment', display: 'Attachment' }] },
      valueAttachment: value,
    };
  });
}
