/** Collects every problem of an incoming resource, so the client learns them all in one 422. */
import { invalidResource, type Issue } from '../fhir/outcome.js';

export class Problems {
  private readonly issues: Issue[] = [];

  add(expression: string, diagnostics: string, code: Issue['code'] = 'invalid'): void {
    this.issues.push({ code, diagnostics: `${expression}: ${diagnostics}`, expression: [expression] });
  }

  /** Returns the text if present and within `max` characters; records a problem otherwise. */
  text(expression: string, value: unknown, opts: { max: number; required?: boolean }): string | null {
    if (value === undefined || value === null || value === '') {
      if (opts.required) this.add(expression, 'is required', 'required');
      return null;
    }
    if (typeof value !== 'string') {
      this.add(expression, 'must be a string');
      return null;
    }
    const trimmed = value.trim();
    if (trimmed.length > opts.max) this.add(expression, `must be at most ${opts.max} characters`, 'too-long');
    return trimmed;
  }

  date(expression: string, value: unknown, opts: { required?: boolean } = {}): string | null {
    if (value === undefined || value === null || value === '') {
      if (opts.required) this.add(expression, 'is required', 'required');
      return null;
    }
    const match = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
    const date = match ? new Date(`${value}T00:00:00Z`) : undefined;
    if (!match || !date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value || Number(match[1]) < 1850) {
      this.add(expression, `"${String(value)}" is not a valid date (YYYY-MM-DD)`);
      return null;
    }
    return value as string;
  }

  boolean(expression: string, value: unknown, fallback: boolean): boolean {
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'boolean') {
      this.add(expression, 'must be true or false');
      return fallback;
    }
    return value;
  }

  get empty(): boolean {
    return this.issues.length === 0;
  }

  throwIfAny(): void {
    if (this.issues.length) throw invalidResource(this.issues);
  }
}
