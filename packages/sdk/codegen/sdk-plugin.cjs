'use strict';
/**
 * graphql-codegen plugin of @airledger/sdk: writes src/__generated__/sdk.ts from the operations in
 * src/operations/*.graphql, next to graphql.ts (typescript-operations + typed-document-node):
 *
 * - OPERATIONS: the kind ('query' | 'mutation') of every operation, by method name;
 * - createOperations(request): one typed method per operation, named like the operation
 *   (`query cities(...)` becomes `client.cities(variables?, options?)`; variables are optional
 *   when the operation has no required variable), documented with the schema's description;
 * - createPaginators(paginate): one paginator per query that pages a connection (it declares
 *   `$after` and its single root field selects `nodes` and `pageInfo { hasNextPage endCursor }`).
 *
 * The plugin uses no `graphql` import of its own (the schema object comes from codegen's copy):
 * types are read by duck typing.
 */

const HEADER = `import type { ConnectionPaginator, OperationRequester, PaginateOptions, RequestOptions } from '../types.js';`;
const RESERVED = new Set(['request', 'paginate', 'paginateConnection', 'subscribe', 'close', 'options', 'then', 'constructor']);

const pascal = (name) => name.charAt(0).toUpperCase() + name.slice(1);

/** The named type under List/NonNull wrappers. */
function namedType(type) {
  let t = type;
  while (t && t.ofType) t = t.ofType;
  return t;
}

function fieldsOf(selectionSet) {
  return (selectionSet ? selectionSet.selections : []).filter((s) => s.kind === 'Field' && s.name.value !== '__typename');
}

function jsDoc(lines, indent) {
  const body = lines
    .filter((l) => l !== undefined && l !== null)
    .flatMap((l) => String(l).split('\n'))
    .map((l) => `${indent} * ${l.replace(/\*\//g, '*\\/')}`.trimEnd());
  return `${indent}/**\n${body.join('\n')}\n${indent} */\n`;
}

exports.plugin = (schema, documents) => {
  const operations = [];
  const seen = new Map();
  for (const source of documents) {
    const file = (source.location || '').split(/[\\/]/).slice(-2).join('/');
    for (const def of source.document.definitions) {
      if (def.kind !== 'OperationDefinition') continue;
      if (!def.name) throw new Error(`${file}: every operation needs a name (it becomes the client method's name).`);
      const name = def.name.value;
      if (!/^[a-z][A-Za-z0-9]*$/.test(name)) throw new Error(`${file}: operation "${name}" must be named in camelCase (it becomes the client method's name).`);
      if (RESERVED.has(name)) throw new Error(`${file}: operation name "${name}" is reserved by the client.`);
      if (seen.has(name)) throw new Error(`${file}: operation "${name}" is already declared in ${seen.get(name)}.`);
      seen.set(name, file);
      // Subscriptions get their typed document (client.subscribe(WarningChangedDocument, ...)), no method.
      if (def.operation === 'subscription') continue;

      const suffix = def.operation === 'mutation' ? 'Mutation' : 'Query';
      const rootType = def.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType();
      const rootFields = fieldsOf(def.selectionSet);
      const variables = def.variableDefinitions || [];
      const required = variables.some((v) => v.type.kind === 'NonNullType' && !v.defaultValue);

      let description;
      let connection;
      if (rootFields.length === 1 && rootType) {
        const field = rootFields[0];
        const schemaField = rootType.getFields()[field.name.value];
        description = schemaField && schemaField.description;
        const returns = schemaField && namedType(schemaField.type);
        const selected = fieldsOf(field.selectionSet);
        const pageInfo = selected.find((f) => f.name.value === 'pageInfo' && !f.alias);
        const nodes = selected.find((f) => f.name.value === 'nodes' && !f.alias);
        const hasAfter = variables.some((v) => v.variable.name.value === 'after');
        const isConnection = returns && /Connection$/.test(returns.name) && returns.getFields && returns.getFields().pageInfo;
        if (def.operation === 'query' && hasAfter && isConnection) {
          const pageFields = pageInfo ? fieldsOf(pageInfo.selectionSet).map((f) => f.name.value) : [];
          if (!nodes || !pageFields.includes('hasNextPage') || !pageFields.includes('endCursor')) {
            throw new Error(`${file}: connection query "${name}" must select \`nodes\` and \`pageInfo { hasNextPage endCursor }\` (the paginator follows them).`);
          }
          connection = { key: field.alias ? field.alias.value : field.name.value };
        }
      }

      operations.push({
        name,
        kind: def.operation,
        file,
        required,
        description,
        document: `${pascal(name)}Document`,
        result: `${pascal(name)}${suffix}`,
        variables: `${pascal(name)}${suffix}Variables`,
        connection,
      });
    }
  }
  operations.sort((a, b) => a.name.localeCompare(b.name));

  const valueImports = operations.map((o) => o.document);
  const typeImports = operations.flatMap((o) => [o.result, o.variables]);
  const out = [];
  out.push(HEADER);
  if (operations.length) {
    out.push(`import { ${valueImports.join(', ')} } from './graphql.js';`);
    out.push(`import type { ${typeImports.join(', ')} } from './graphql.js';`);
  }
  out.push('');
  out.push('/** Every operation of the SDK by method name, with its kind (mutations are never retried without an idempotency key). */');
  out.push('export const OPERATIONS = {');
  for (const o of operations) out.push(`  ${o.name}: '${o.kind}',`);
  out.push('} as const;');
  out.push('');
  out.push('/** Name of an operation of the SDK. */');
  out.push('export type OperationName = keyof typeof OPERATIONS;');
  out.push('');
  out.push('/** The typed methods of the client, one per operation of src/operations/*.graphql. */');
  out.push('export function createOperations(request: OperationRequester) {');
  out.push('  return {');
  for (const o of operations) {
    const vars = o.required ? `variables: ${o.variables}` : `variables?: ${o.variables}`;
    out.push(jsDoc([o.description || `The \`${o.name}\` ${o.kind}.`, '', `${o.kind === 'mutation' ? 'Mutation' : 'Query'} \`${o.name}\` of src/operations/${o.file.split('/').pop()}.`], '    ').trimEnd());
    out.push(`    ${o.name}(${vars}, options?: RequestOptions): Promise<${o.result}> {`);
    out.push(`      return request(${o.document}, variables, options);`);
    out.push('    },');
  }
  out.push('  };');
  out.push('}');
  out.push('');
  out.push('/** The typed methods of the client, one per operation. */');
  out.push('export type Operations = ReturnType<typeof createOperations>;');
  out.push('');
  out.push('/** Paginators, one per query of a connection: async iterables of nodes with `.all({ max })` and `.pages()`. */');
  out.push('export function createPaginators(paginate: ConnectionPaginator) {');
  out.push('  return {');
  for (const o of operations.filter((op) => op.connection)) {
    const vars = o.required ? `variables: Omit<${o.variables}, 'after'>` : `variables?: Omit<${o.variables}, 'after'>`;
    out.push(jsDoc([`Every item of \`${o.name}\`, page after page (\`first\` is the page size).`, o.description ? `\n${o.description}` : undefined], '    ').trimEnd());
    out.push(`    ${o.name}(${vars}, options?: PaginateOptions) {`);
    out.push(`      return paginate(${o.document}, variables, (data: ${o.result}) => data.${o.connection.key}, options);`);
    out.push('    },');
  }
  out.push('  };');
  out.push('}');
  out.push('');
  out.push('/** The paginators of the client, one per connection query. */');
  out.push('export type Paginators = ReturnType<typeof createPaginators>;');
  return out.join('\n') + '\n';
};
