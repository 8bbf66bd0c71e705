/**
 * isoInstant and httpDate write what Date's toISOString and toUTCString write, for every moment:
 * calendar edges, random moments over the years they handle, and the moments they leave to Date.
 */
import t, { type Test } from 'tap';
import { isoInstant, httpDate } from '../../src/fhir/instant-text.js';

const same = (t: Test, date: Date) => {
  t.equal(isoInstant(date), date.toISOString(), `ISO ${date.toISOString()}`);
  t.equal(httpDate(date), date.toUTCString(), `HTTP ${date.toISOString()}`);
};

t.test('calendar edges', async (t) => {
  const edges = [
    '1000-01-01T00:00:00.000Z', '1582-10-15T12:00:00.001Z', '1899-12-31T23:59:59.999Z', '1900-02-28T10:00:00.010Z',
    '1900-03-01T00:00:00.100Z', '1969-12-31T23:59:59.999Z', '1970-01-01T00:00:00.000Z', '1970-01-01T00:00:00.001Z',
    '1999-12-31T23:59:59.999Z', '2000-02-29T00:00:00.000Z', '2000-03-01T00:00:00.000Z', '2024-02-29T23:59:59.999Z',
    '2025-11-10T15:16:44.000Z', '2026-12-06T10:03:09.007Z', '2100-02-28T00:00:00.000Z', '2100-03-01T00:00:00.000Z',
    '9999-12-31T23:59:59.999Z',
  ];
  for (const text of edges) same(t, new Date(text));
  // Every day of a leap and a common year, at a moment that changes with the day.
  for (const year of [1996, 2023]) {
    for (let day = 0; day < 366; day++) same(t, new Date(Date.UTC(year, 0, 1 + day, day % 24, day % 60, (day * 7) % 60, day % 1000)));
  }
});

t.test('random moments over the years 1000 to 9999', async (t) => {
  const first = Date.UTC(1000, 0, 1);
  const span = Date.UTC(10000, 0, 1) - first;
  let mismatches = 0;
  for (let i = 0; i < 200_000; i++) {
    const date = new Date(first + Math.floor(Math.random() * span));
    if (isoInstant(date) !== date.toISOString() || httpDate(date) !== date.toUTCString()) {
      mismatches++;
      if (mismatches < 5) same(t, date);
    }
  }
  t.equal(mismatches, 0, '200,000 moments written alike');
});

t.test('moments outside those years, and invalid ones, as Date writes them', async (t) => {
  for (const time of [Date.UTC(999, 11, 31, 23, 59, 59, 999), Date.UTC(10000, 0, 1), Date.UTC(-50, 5, 1), 8.64e15, -8.64e15]) same(t, new Date(time));
  const invalid = new Date(Number.NaN);
  t.throws(() => isoInstant(invalid), RangeError, 'an invalid date throws, as toISOString does');
  t.equal(httpDate(invalid), 'Invalid Date');
});
