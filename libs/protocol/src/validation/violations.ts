/**
 * Collects ValidationException entries in AWS's words:
 * `Value '<v>' at '<path>' failed to satisfy constraint: <rule>`, at most 10 of them,
 * joined as `N validation error(s) detected: a; b`.
 */
import { ShardlineError, validationError } from '../errors';
import type { CompiledField } from './table';

/** AWS stops listing after this many violations. */
export const MAX_REPORTED_VIOLATIONS = 10;

/** Renders a value the way AWS's Java service prints it inside a message. */
export function displayValue(field: CompiledField, value: unknown): string {
  if (value == null) return 'null';
  if (Buffer.isBuffer(value)) return `java.nio.HeapByteBuffer[pos=0 lim=${value.length} cap=${value.length}]`;
  if (value instanceof Date) return String(value.getTime() / 1000);
  if (Array.isArray(value)) {
    const member = field.member;
    return `[${value.map((item) => (member ? displayValue(member, item) : String(item))).join(', ')}]`;
  }
  if (typeof value === 'object') {
    if (field.type === 'Structure') return field.display ?? JSON.stringify(value);
    const entries = Object.entries(value as Record<string, unknown>);
    return `{${entries.map(([k, v]) => `${k}=${String(v)}`).join(', ')}}`;
  }
  return String(value);
}

/**
 * Walk state: the member path as a stack (no string building unless something fails) and
 * the violations found so far.
 */
export class Violations {
  readonly messages: string[] = [];
  /** Path segments: member names, or list positions (0-based; shown 1-based with `.member`). */
  private readonly path: (string | number)[] = [];

  /** `cbor`: the body came as CBOR (blobs as bytes, timestamps in milliseconds), not JSON. */
  constructor(readonly cbor = false) {}

  enter(segment: string | number): void {
    this.path.push(segment);
  }

  leave(): void {
    this.path.pop();
  }

  get full(): boolean {
    return this.messages.length >= MAX_REPORTED_VIOLATIONS;
  }

  add(field: CompiledField, value: unknown, rule: string): void {
    if (this.full) return;
    const shown = value == null ? 'null' : `'${displayValue(field, value)}'`;
    this.messages.push(`Value ${shown} at '${this.pathText()}' failed to satisfy constraint: ${rule}`);
  }

  private pathText(): string {
    let text = '';
    for (const segment of this.path) {
      const piece = typeof segment === 'number' ? `${segment + 1}.member` : segment;
      text = text === '' ? piece : `${text}.${piece}`;
    }
    return text;
  }

  /** The ValidationException for what was found, or undefined when nothing was. */
  toError(): ShardlineError | undefined {
    const count = this.messages.length;
    if (count === 0) return undefined;
    const noun = count === 1 ? 'error' : 'errors';
    return validationError(`${count} validation ${noun} detected: ${this.messages.join('; ')}`);
  }
}
