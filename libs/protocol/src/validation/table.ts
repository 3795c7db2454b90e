/**
 * Declarative validation tables, kinesalite-style: one table per operation lists each
 * wire member with its JSON type and AWS constraints. `defineTable` compiles a table once
 * (regexes built, members sorted the way AWS reports them) so `validate` does no set-up work.
 */

/** JSON types as AWS's Coral deserializer names them in its SerializationException texts. */
export type FieldType =
  | 'String'
  | 'Integer'
  | 'Long'
  | 'Boolean'
  | 'Blob'
  | 'Timestamp'
  | 'List'
  | 'Map'
  | 'Structure';

/** One member of a table, as written in validation/<op>.ts. */
export interface FieldSpec {
  type: FieldType;
  notNull?: boolean;
  /** AWS's pattern text, anchored as a whole-value match. */
  pattern?: string;
  enum?: readonly string[];
  /** Characters for String, decoded bytes for Blob, entries for List and Map. */
  minLength?: number;
  maxLength?: number;
  min?: number;
  max?: number;
  /** List element or Map value. */
  member?: FieldSpec;
  /** Map key constraints (keys are always strings). */
  key?: FieldSpec;
  /** Structure members, by wire (PascalCase) name. */
  fields?: Readonly<Record<string, FieldSpec>>;
  /** How a Structure shows inside a list value in a message (AWS prints Java object names). */
  display?: string;
}

/** A member ready for the engine. */
export interface CompiledField {
  readonly wire: string;
  readonly camel: string;
  readonly type: FieldType;
  readonly notNull: boolean;
  readonly pattern?: string;
  readonly regex?: RegExp;
  readonly enumValues?: readonly string[];
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly min?: number;
  readonly max?: number;
  readonly member?: CompiledField;
  readonly key?: CompiledField;
  readonly fields?: readonly CompiledField[];
  readonly display?: string;
}

/**
 * A compiled table for an input of type T. `check` runs after the table passed and
 * throws AWS's own error for rules that span members (e.g. StreamName or StreamARN).
 */
export interface ValidationTable<T = unknown> {
  readonly fields: readonly CompiledField[];
  /** Method syntax on purpose: any table is then usable where a `ValidationTable` is expected. */
  check?(input: T): void;
}

/** camelCase of a wire name as AWS writes member paths: StreamName -> streamName, StreamARN -> streamARN. */
export function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function compileField(wire: string, spec: FieldSpec): CompiledField {
  return {
    wire,
    camel: lowerFirst(wire),
    type: spec.type,
    notNull: spec.notNull === true,
    pattern: spec.pattern,
    // Unicode property classes (Firehose's tag patterns use \p{L}) need the `u` flag.
    regex: spec.pattern === undefined ? undefined : new RegExp(`^(?:${spec.pattern})$`, spec.pattern.includes('\\p{') ? 'u' : ''),
    enumValues: spec.enum,
    minLength: spec.minLength,
    maxLength: spec.maxLength,
    min: spec.min,
    max: spec.max,
    member: spec.member && compileField('member', spec.member),
    key: spec.key && compileField('key', spec.key),
    fields: spec.fields && compileFields(spec.fields),
    display: spec.display,
  };
}

/** AWS lists validation errors ordered by member path (Java's string order), not by model order. */
function compileFields(fields: Readonly<Record<string, FieldSpec>>): CompiledField[] {
  return Object.keys(fields)
    .map((wire) => compileField(wire, fields[wire]))
    .sort((a, b) => (a.camel < b.camel ? -1 : a.camel > b.camel ? 1 : 0));
}

/** Compiles a table once, at module load. */
export function defineTable<T>(
  fields: Readonly<Record<string, FieldSpec>>,
  check?: (input: T) => void,
): ValidationTable<T> {
  return check === undefined ? { fields: compileFields(fields) } : { fields: compileFields(fields), check };
}
