/**
 * Pagination over Relay connections: follow `pageInfo.endCursor` while `pageInfo.hasNextPage`.
 * Generic over any query whose result holds a connection, so each list query of the SDK gets a
 * paginator from one generated line (see src/__generated__/sdk.ts).
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { ConnectionPage, OperationRequester, PagedVariables, PaginateOptions } from './types.js';

/** Default cap of `all()`: a guard against loading an unbounded collection by accident. */
export const DEFAULT_ALL_MAX = 10_000;

/**
 * The items of a connection, page after page. Iterate it with `for await`, collect it with
 * `all({ max })`, or walk whole pages with `pages()`. Pages are fetched lazily, one at a time:
 * breaking out of a loop stops fetching. Iteration ends when `hasNextPage` is false, when the
 * server gives no `endCursor`, when it repeats a cursor, or when `max` items were produced.
 */
export class PageIterator<TNode> implements AsyncIterable<TNode> {
  constructor(
    private readonly fetchPage: (after: string | null) => Promise<ConnectionPage<TNode>>,
    private readonly max: number = Number.POSITIVE_INFINITY,
  ) {}

  /** Whole pages (each a connection page with `nodes` and `pageInfo`), lazily. */
  async *pages(): AsyncGenerator<ConnectionPage<TNode>, void, undefined> {
    let after: string | null = null;
    const seen = new Set<string>();
    let produced = 0;
    while (produced < this.max) {
      const page: ConnectionPage<TNode> = await this.fetchPage(after);
      const room = this.max - produced;
      const nodes = page.nodes.length > room ? page.nodes.slice(0, room) : page.nodes;
      produced += nodes.length;
      yield nodes === page.nodes ? page : { ...page, nodes };
      const cursor = page.pageInfo.endCursor;
      if (!page.pageInfo.hasNextPage || !cursor || seen.has(cursor) || page.nodes.length === 0) return;
      seen.add(cursor);
      after = cursor;
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<TNode> {
    for await (const page of this.pages()) yield* page.nodes;
  }

  /** Every item, fetching page after page, at most `max` (default 10000, or the paginator's own `max`). */
  async all(options: { max?: number } = {}): Promise<TNode[]> {
    const max = Math.min(options.max ?? DEFAULT_ALL_MAX, this.max);
    const items: TNode[] = [];
    for await (const page of new PageIterator(this.fetchPage, max).pages()) items.push(...page.nodes);
    return items;
  }
}

/** A paginator over the connection `select` picks from the result of `document`. */
export function paginateWith(request: OperationRequester) {
  return <TResult, TVariables extends PagedVariables, TNode>(
    document: TypedDocumentNode<TResult, TVariables>,
    variables: Omit<TVariables, 'after'> | undefined,
    select: (data: TResult) => ConnectionPage<TNode>,
    options: PaginateOptions = {},
  ): PageIterator<TNode> => {
    const { max, ...requestOptions } = options;
    const fetchPage = async (after: string | null) => {
      const data = await request(document, { ...(variables ?? {}), after } as unknown as TVariables, requestOptions);
      return select(data);
    };
    return new PageIterator(fetchPage, max ?? Number.POSITIVE_INFINITY);
  };
}
