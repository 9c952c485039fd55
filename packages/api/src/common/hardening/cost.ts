import {
  Kind,
  getNamedType,
  getNullableType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../pagination.js';

/** Assumed length of a list field without a `first` argument (a project's funding sources, a target's breakdown). */
export const UNPAGINATED_LIST_ESTIMATE = 20;

/**
 * Worst-case number of list items an operation can return: the sum, over every list field in
 * the selection (connection `nodes`/`edges` included), of the product of the page sizes on the
 * way down (`first` as graphql-js coerces it: a literal, a variable's value, or the variable's
 * default when the request gives none; the argument's default, else DEFAULT_PAGE_SIZE, when
 * absent; DEFAULT_PAGE_SIZE when null, as the resolvers read it; lists without `first` count
 * UNPAGINATED_LIST_ESTIMATE). Like GitHub's node limit: cities(first: 100)
 * > enterprises(first: 100) > gradeChanges(first: 100) costs 100 + 100^2 + 100^3 = 1,010,100.
 * Scalars and single objects are free (bounded by the depth limit and their parent's count).
 * Introspection fields are not counted.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> = {},
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  const root = schema.getRootType(operation.operation);
  if (!root) return 0;

  // A variable's default applies when the request gives no value for it (graphql-js coercion).
  const variableDefaults = new Map<string, ValueNode | undefined>();
  for (const def of operation.variableDefinitions ?? []) variableDefaults.set(def.variable.name.value, def.defaultValue);

  /**
   * `first` as graphql-js coerces it: a number, null (given as null: the resolvers' default page
   * size), or undefined (absent: the argument's default).
   */
  const intValue = (node: ValueNode | undefined): number | null | undefined => {
    if (!node) return undefined;
    if (node.kind === Kind.INT) return Number(node.value);
    if (node.kind === Kind.NULL) return null;
    if (node.kind === Kind.VARIABLE) {
      const name = node.name.value;
      if (Object.prototype.hasOwnProperty.call(variables, name) && variables[name] !== undefined) {
        const v = variables[name];
        return typeof v === 'number' ? v : null;
      }
      return intValue(variableDefaults.get(name));
    }
    return null;
  };

  const pageSizeOf = (field: GraphQLField<unknown, unknown>, args: readonly { name: { value: string }; value: ValueNode }[] | undefined): number | undefined => {
    const def = field.args.find((a) => a.name === 'first');
    if (!def) return undefined;
    const given = intValue(args?.find((a) => a.name.value === 'first')?.value);
    const fallback = typeof def.defaultValue === 'number' ? def.defaultValue : DEFAULT_PAGE_SIZE;
    const n = given === undefined ? fallback : given === null ? DEFAULT_PAGE_SIZE : given;
    return Math.max(0, Math.min(n, MAX_PAGE_SIZE));
  };

  const walk = (set: SelectionSetNode, type: GraphQLNamedType, multiplier: number, pageSize: number | undefined, stack: Set<string>): number => {
    let total = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        if (!sel.selectionSet || sel.name.value.startsWith('__')) continue;
        if (!isObjectType(type) && !isInterfaceType(type)) continue;
        const field = type.getFields()[sel.name.value];
        if (!field) continue;
        const named = getNamedType(field.type);
        // `first` on a connection sizes its nodes/edges lists; on a list field, the list itself.
        const own = pageSizeOf(field, sel.arguments);
        let m = multiplier;
        let childPage = own;
        if (isListType(getNullableType(field.type))) {
          m = multiplier * (own ?? pageSize ?? UNPAGINATED_LIST_ESTIMATE);
          total += m;
          childPage = undefined;
        }
        if (isCompositeType(named)) total += walk(sel.selectionSet, named, m, childPage, stack);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        const t = sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : type;
        if (t) total += walk(sel.selectionSet, t, multiplier, pageSize, stack);
      } else {
        const fragment = fragments.get(sel.name.value);
        if (!fragment || stack.has(fragment.name.value)) continue;
        const t = schema.getType(fragment.typeCondition.name.value);
        if (!t) continue;
        stack.add(fragment.name.value);
        total += walk(fragment.selectionSet, t, multiplier, pageSize, stack);
        stack.delete(fragment.name.value);
      }
    }
    return total;
  };

  return walk(operation.selectionSet, root, 1, undefined, new Set());
}
