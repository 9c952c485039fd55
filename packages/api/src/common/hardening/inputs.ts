/**
 * Rules every input value of a request must follow before anything runs: text without NUL
 * characters (PostgreSQL cannot store U+0000 in text) and within its length bound, and scalar
 * values the API's own scalars accept. They are checked over the arguments of every field of
 * the operation (literals, variables and variable defaults alike), so a problem is answered as
 * BAD_USER_INPUT naming the input field (`extensions.field`, e.g. `filter.search`), never as a
 * database error, and a mutation writes nothing. Exports check their coerced parameters with
 * the same rules (inputValueIssues).
 */
import {
  GraphQLID,
  GraphQLString,
  Kind,
  getNullableType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isObjectType,
  isScalarType,
  specifiedScalarTypes,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLArgument,
  type GraphQLInputField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { Extensions } from 'type-graphql';
import { UserErrorCode, type Issue } from '../errors.js';

/**
 * Longest text (in UTF-16 code units: a Chinese character is one) of a String or ID input value.
 * Services may hold stricter rules of their own (a project's name: 200), reported as they are.
 */
export const TEXT_LIMITS = {
  /** Any String or ID input without a bound of its own: slugs, codes, ids, actors, labels. */
  default: 1000,
  /** Search terms (`search` of the enterprise filters). */
  search: 200,
  /** Names of records (enterprises, projects, programs, keys, households). */
  name: 500,
  /** Notes, descriptions and other free text. */
  text: 4000,
  /** Cursors (`after`): a sort value and an id, as base64url. */
  cursor: 4096,
} as const;

/**
 * The bound of an input field or argument by its name, in every input type of the schema (the
 * API names its free text consistently). Others get TEXT_LIMITS.default; a field may declare its
 * own with MaxLength.
 */
export const FIELD_LIMITS: Readonly<Record<string, number>> = {
  search: TEXT_LIMITS.search,
  name: TEXT_LIMITS.name,
  nameZh: TEXT_LIMITS.name,
  nameEn: TEXT_LIMITS.name,
  householdName: TEXT_LIMITS.name,
  decidedBy: TEXT_LIMITS.name,
  note: TEXT_LIMITS.text,
  description: TEXT_LIMITS.text,
  after: TEXT_LIMITS.cursor,
};

/** Most problems reported for one request. */
const MAX_ISSUES = 20;

/**
 * Declares the length bound of one String input field (`@MaxLength(2000)` beside its `@Field`),
 * over FIELD_LIMITS. Kept in the field's GraphQL extensions (fields a type inherits from another
 * class do not carry them: name those in FIELD_LIMITS).
 */
export function MaxLength(max: number): PropertyDecorator & MethodDecorator {
  return Extensions({ maxLength: max }) as PropertyDecorator & MethodDecorator;
}

const boundOf = (def: GraphQLInputField | GraphQLArgument): number => {
  const declared = def.extensions?.maxLength;
  if (typeof declared === 'number') return declared;
  return Object.prototype.hasOwnProperty.call(FIELD_LIMITS, def.name) ? FIELD_LIMITS[def.name] : TEXT_LIMITS.default;
};

const BUILT_IN = new Set<GraphQLNamedType>(specifiedScalarTypes);

class Checker {
  readonly issues: Issue[] = [];

  constructor(private readonly variables: Record<string, unknown> = {}, private readonly defaults = new Map<string, ValueNode | undefined>()) {}

  get full(): boolean {
    return this.issues.length >= MAX_ISSUES;
  }

  private add(field: string[], code: UserErrorCode, message: string): void {
    if (!this.full) this.issues.push({ field, code, message });
  }

  private text(value: string, type: GraphQLNamedType, path: string[], bound: number): void {
    if (value.length > bound) {
      this.add(path, UserErrorCode.OUT_OF_RANGE, `At most ${bound} characters (got ${value.length}).`);
    } else if (value.includes('\u0000')) {
      this.add(path, UserErrorCode.INVALID, 'Must not contain NUL characters (U+0000).');
    } else if (type !== GraphQLString && type !== GraphQLID && isScalarType(type) && !BUILT_IN.has(type)) {
      try {
        type.parseValue(value);
      } catch (error) {
        const reason = (error as { extensions?: { reason?: unknown } }).extensions?.reason;
        this.add(path, typeof reason === 'string' ? (reason as UserErrorCode) : UserErrorCode.INVALID, (error as Error).message);
      }
    }
  }

  /** A JSON value (of a variable, or coerced) against its input type. */
  value(value: unknown, type: GraphQLInputType, path: string[], bound: number): void {
    if (value === null || value === undefined || this.full) return;
    const t = getNullableType(type);
    if (isListType(t)) {
      if (Array.isArray(value)) value.forEach((v, i) => this.value(v, t.ofType, [...path, String(i)], bound));
      else this.value(value, t.ofType, path, bound);
    } else if (isInputObjectType(t)) {
      if (typeof value !== 'object' || Array.isArray(value)) return;
      const fields = t.getFields();
      for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
        const f = fields[name];
        if (f) this.value(v, f.type, [...path, name], boundOf(f));
      }
    } else if (typeof value === 'string') {
      this.text(value, t, path, bound);
    }
  }

  /** A value of the document (literal, variable, list or object of them) against its input type. */
  node(node: ValueNode, type: GraphQLInputType, path: string[], bound: number): void {
    if (this.full) return;
    if (node.kind === Kind.VARIABLE) {
      const name = node.name.value;
      if (Object.prototype.hasOwnProperty.call(this.variables, name) && this.variables[name] !== undefined) this.value(this.variables[name], type, path, bound);
      else {
        const fallback = this.defaults.get(name);
        if (fallback) this.node(fallback, type, path, bound);
      }
      return;
    }
    const t = getNullableType(type);
    if (isListType(t)) {
      if (node.kind === Kind.LIST) node.values.forEach((v, i) => this.node(v, t.ofType, [...path, String(i)], bound));
      else this.node(node, t.ofType, path, bound);
    } else if (isInputObjectType(t)) {
      if (node.kind !== Kind.OBJECT) return;
      const fields = t.getFields();
      for (const f of node.fields) {
        const def = fields[f.name.value];
        if (def) this.node(f.value, def.type, [...path, f.name.value], boundOf(def));
      }
    } else if (node.kind === Kind.STRING) {
      this.text(node.value, t, path, bound);
    }
  }
}

/**
 * Problems of the input values of an operation (every field's arguments, in fragments too), with
 * the variables of the request as sent (a variable's default when it is not given). Empty when
 * all is well. Paths start at the argument: ["filter", "search"], ["after"].
 */
export function operationInputIssues(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> = {},
): Issue[] {
  const defaults = new Map<string, ValueNode | undefined>();
  for (const def of operation.variableDefinitions ?? []) defaults.set(def.variable.name.value, def.defaultValue);
  const checker = new Checker(variables, defaults);
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  const seen = new Set<string>();

  const walk = (set: SelectionSetNode, type: GraphQLNamedType | null | undefined): void => {
    for (const sel of set.selections) {
      if (checker.full) return;
      if (sel.kind === Kind.FIELD) {
        const field = type && (isObjectType(type) || isInterfaceType(type)) ? type.getFields()[sel.name.value] : undefined;
        if (!field) continue;
        for (const arg of sel.arguments ?? []) {
          const def = field.args.find((a) => a.name === arg.name.value);
          if (def) checker.node(arg.value, def.type, [arg.name.value], boundOf(def));
        }
        if (sel.selectionSet) walk(sel.selectionSet, schema.getType(namedTypeName(field.type)));
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        walk(sel.selectionSet, sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : type);
      } else {
        const fragment = fragments.get(sel.name.value);
        if (!fragment || seen.has(fragment.name.value)) continue;
        seen.add(fragment.name.value);
        walk(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value));
      }
    }
  };
  walk(operation.selectionSet, schema.getRootType(operation.operation));
  return checker.issues;
}

function namedTypeName(type: { ofType?: unknown; name?: string }): string {
  let t = type;
  while (t.ofType) t = t.ofType as typeof t;
  return t.name ?? '';
}

/** Problems of a value already coerced to `type` (an export's parameter), paths under `path`. */
export function inputValueIssues(type: GraphQLInputType, value: unknown, path: string[]): Issue[] {
  const checker = new Checker();
  checker.value(value, type, path, TEXT_LIMITS.default);
  return checker.issues;
}

/**
 * Where a value node of a literal argument sits in the document: its path from the argument
 * (["filter", "from"]), or null when it is in no field's arguments (a variable's default).
 */
export function argumentPathOf(document: DocumentNode, target: ValueNode): string[] | null {
  const inValue = (node: ValueNode, path: string[]): string[] | null => {
    if (node === target) return path;
    if (node.kind === Kind.LIST) {
      for (let i = 0; i < node.values.length; i++) {
        const found = inValue(node.values[i], [...path, String(i)]);
        if (found) return found;
      }
    } else if (node.kind === Kind.OBJECT) {
      for (const f of node.fields) {
        const found = inValue(f.value, [...path, f.name.value]);
        if (found) return found;
      }
    }
    return null;
  };
  const inSet = (set: SelectionSetNode): string[] | null => {
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        for (const arg of sel.arguments ?? []) {
          const found = inValue(arg.value, [arg.name.value]);
          if (found) return found;
        }
      }
      if (sel.kind !== Kind.FRAGMENT_SPREAD && sel.selectionSet) {
        const found = inSet(sel.selectionSet);
        if (found) return found;
      }
    }
    return null;
  };
  for (const def of document.definitions) {
    if (def.kind === Kind.OPERATION_DEFINITION || def.kind === Kind.FRAGMENT_DEFINITION) {
      const found = inSet(def.selectionSet);
      if (found) return found;
    }
  }
  return null;
}
