import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import { GraphQLError, validate, type DocumentNode, type ValidationContext, type ValidationRule, type ValueNode } from 'graphql';
import { LedgerError, toGraphQLError, UserErrorCode, type Issue } from '../errors.js';
import { InvalidScalarValue } from '../scalars.js';
import { HardeningErrorCode, isStatementTimeout, STATEMENT_TIMEOUT_MESSAGE } from './errors.js';
import { operationCost } from './cost.js';
import { argumentPathOf, operationInputIssues } from './inputs.js';
import type { HardeningConfig } from './settings.js';

/** BAD_USER_INPUT with HTTP 400 naming the input fields (as a query's LedgerError reads). */
export function inputError(issues: Issue[]): GraphQLError {
  const e = toGraphQLError(new LedgerError(issues));
  return new GraphQLError(e.message, { extensions: { ...e.extensions, http: { status: 400, headers: new Map<string, string>() } } });
}

/** Apollo's answers to an inconsistent `extensions.persistedQuery` (it gives them no code). */
const PERSISTED_QUERY_ERRORS: Record<string, Issue> = {
  'provided sha does not match query': {
    field: ['extensions', 'persistedQuery', 'sha256Hash'],
    code: UserErrorCode.INVALID,
    message: 'Not the SHA-256 (hex) of the query sent with it.',
  },
  'Unsupported persisted query version': {
    field: ['extensions', 'persistedQuery', 'version'],
    code: UserErrorCode.INVALID,
    message: 'Only version 1 of automatic persisted queries is supported.',
  },
};

function limitError(code: HardeningErrorCode, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extra, http: { status: 400, headers: new Map<string, string>() } } });
}

/**
 * graphql-armor's depth, alias and directive rules, each reporting a coded error through the
 * validation context (never thrown: a thrown rule error would become HTTP 500 on Apollo).
 * Its cost rule (literal `first` only) and token plugin (throws in parsingDidStart: HTTP 500)
 * are replaced by operationCost() and the parser's own maxTokens.
 */
export function armorRules(config: HardeningConfig): ValidationRule[] {
  const report = (code: HardeningErrorCode) => [
    (ctx: ValidationContext | null, error: GraphQLError) => {
      ctx?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, ''), { extensions: { code } }));
    },
  ];
  const common = { exposeLimits: config.exposeLimits, propagateOnRejection: false };
  const { validationRules } = new ApolloArmor({
    blockFieldSuggestion: { enabled: false },
    maxTokens: { enabled: false },
    costLimit: { enabled: false },
    maxDepth: {
      enabled: config.maxDepth > 0,
      n: config.maxDepth,
      flattenFragments: true,
      errorMessage: 'The query is nested too deeply.',
      onReject: report(HardeningErrorCode.QUERY_TOO_DEEP),
      ...common,
    },
    maxAliases: {
      enabled: config.maxAliases > 0,
      n: config.maxAliases,
      errorMessage: 'The query has too many aliases.',
      onReject: report(HardeningErrorCode.TOO_MANY_ALIASES),
      ...common,
    },
    maxDirectives: {
      enabled: config.maxDirectives > 0,
      n: config.maxDirectives,
      errorMessage: 'The query has too many directives.',
      onReject: report(HardeningErrorCode.TOO_MANY_DIRECTIVES),
      ...common,
    },
  }).protect();
  return validationRules;
}

/** graphql-js parse options: the parser stops at maxTokens (Apollo answers 400; the plugin sets the code). */
export function hardeningParseOptions(config: HardeningConfig): { maxTokens?: number } {
  return config.maxTokens > 0 ? { maxTokens: config.maxTokens } : {};
}

// graphql-js 16 says "more that N tokens" (sic); accept the corrected wording too.
const TOKEN_LIMIT = /^Syntax Error: Document contains more tha[nt] (\d+) tokens\. Parsing aborted\.$/;
const SUGGESTION = / ?Did you mean [^?]*\?/g;

/**
 * The operation limits (depth, aliases, directives, cost; tokens at parse time), the status and
 * code of the errors they raise, field suggestions off when configured, and statement timeouts
 * turned into a coded error. Limits run once the operation is resolved, so they see the
 * variables (for `first: $n`); the document part is cached per parsed document.
 */
export function limitsPlugin(config: HardeningConfig): ApolloServerPlugin<any> {
  const rules = armorRules(config);
  const verdicts = new WeakMap<DocumentNode, { code: HardeningErrorCode; message: string } | null>();

  const checkDocument = (rc: GraphQLRequestContext<any>) => {
    const document = rc.document!;
    let verdict = verdicts.get(document);
    if (verdict === undefined) {
      const first = rules.length ? validate(rc.schema, document, rules)[0] : undefined;
      verdict = first ? { code: first.extensions.code as HardeningErrorCode, message: first.message } : null;
      verdicts.set(document, verdict);
    }
    if (verdict) throw limitError(verdict.code, verdict.message);
  };

  const checkCost = (rc: GraphQLRequestContext<any>) => {
    if (config.maxCost <= 0 || !rc.operation) return;
    const cost = operationCost(rc.schema, rc.document!, rc.operation, rc.request.variables ?? {});
    if (cost > config.maxCost) {
      throw config.exposeLimits
        ? limitError(HardeningErrorCode.QUERY_TOO_COMPLEX, `Query cost limit of ${config.maxCost} exceeded, found ${cost}.`, { cost, maxCost: config.maxCost })
        : limitError(HardeningErrorCode.QUERY_TOO_COMPLEX, 'The query could return too many nodes; lower `first` or split it.');
    }
  };

  const checkOperationType = (rc: GraphQLRequestContext<any>) => {
    if (rc.operation?.operation === 'subscription') {
      throw limitError(HardeningErrorCode.SUBSCRIPTIONS_NOT_SUPPORTED, 'Subscriptions are served over WebSocket (graphql-ws protocol) at this path, not over HTTP; send queries and mutations over HTTP.');
    }
  };

  const checkInputs = (rc: GraphQLRequestContext<any>) => {
    if (!rc.operation) return;
    const issues = operationInputIssues(rc.schema, rc.document!, rc.operation, rc.request.variables ?? {});
    if (issues.length) throw inputError(issues);
  };

  return {
    async requestDidStart() {
      return {
        async didResolveOperation(rc) {
          checkOperationType(rc);
          checkDocument(rc);
          checkCost(rc);
          checkInputs(rc);
        },
        async didEncounterErrors(rc) {
          // Apollo formats these very errors after this hook (same array): replace in place.
          const errors = rc.errors as GraphQLError[];
          for (let i = 0; i < errors.length; i++) {
            const error = errors[i];
            const tokens = TOKEN_LIMIT.exec(error.message);
            const persisted = error.extensions?.code === undefined ? PERSISTED_QUERY_ERRORS[error.message] : undefined;
            const scalar = error.originalError instanceof InvalidScalarValue ? error.originalError : undefined;
            if (persisted) {
              errors[i] = inputError([persisted]);
            } else if (scalar && error.nodes?.length && rc.document) {
              // A literal our scalars refuse (validation): BAD_USER_INPUT naming its argument path.
              const field = argumentPathOf(rc.document, error.nodes[0] as ValueNode);
              errors[i] = inputError([{ field: field ?? [], code: scalar.extensions.reason as UserErrorCode, message: scalar.message }]);
            } else if (tokens) {
              errors[i] = limitError(
                HardeningErrorCode.TOO_MANY_TOKENS,
                config.exposeLimits ? `Token limit of ${tokens[1]} exceeded.` : 'The document has too many tokens.',
              );
            } else if (isStatementTimeout(error)) {
              errors[i] = new GraphQLError(STATEMENT_TIMEOUT_MESSAGE, {
                nodes: error.nodes,
                path: error.path,
                extensions: { code: HardeningErrorCode.STATEMENT_TIMEOUT },
              });
            } else if (!config.fieldSuggestions && error.message.includes('Did you mean')) {
              error.message = error.message.replace(SUGGESTION, '');
            }
          }
        },
      };
    },
  };
}
