/** Example operations of the airledger schema, one console tab each. */
export const EXAMPLES: { query: string; variables?: string }[] = [
  {
    query: `# Welcome to the airledger query console.
# Public campaign data needs no key; paste an API key in the field above for the rest.
# Run with Ctrl-Enter; the Docs button (left) lists every type and field.
query FirstQuery {
  city(slug: "tangshan") {
    nameZh
    province { nameEn }
    region { code }
  }
  cities(filter: { region: FENWEI_PLAIN }, first: 5) {
    totalCount
    nodes { slug nameZh }
    pageInfo { hasNextPage endCursor }
  }
}
`,
  },
  {
    query: `# Enterprises of a city with their current performance grade and latest grade changes.
query EnterprisesOfCity($city: String!) {
  enterprises(filter: { city: $city }, first: 10) {
    totalCount
    nodes {
      name
      industry
      currentGrade
      gradeChanges(first: 3) { nodes { fromGrade toGrade reason decidedAt } }
    }
  }
}
`,
    variables: '{ "city": "tangshan" }',
  },
  {
    query: `# Who am I? Needs nothing; with an API key it shows the key's role and scope.
query Viewer {
  viewer { actorId role city { slug } province { slug } }
}
`,
  },
];
