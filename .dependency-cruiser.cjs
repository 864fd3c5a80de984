/**
 * Dependency rules of the source layout (issue 14): `npm run deps`.
 * Folders that do not exist yet match nothing; the rules hold as soon as they appear.
 * Type-only imports count: a layer may not even name the types of a layer it must not know.
 */
const CORE = '(domain|text|geo|contract|retrieval|profiles|features|ranking|engine|learning)';
const OUTSIDE_CORE = '(db|audit|importer|records|matching|keys|access|feedback|registrations|models|batch|reports|service|config|api|cli|web|worker)';
const USE_CASES = '(audit|importer|records|matching|keys|access|feedback|registrations|models|batch|reports)';
const EDGES = '(api|cli|web|worker)';

/** A rule: files under src/FROM/ never import files under src/TO/. */
const never = (name, comment, from, to) => ({
  name,
  comment,
  severity: 'error',
  from: { path: `^src/${from}/` },
  to: { path: `^src/${to}/` },
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No circular imports anywhere.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    never('core-not-outside', 'The core (pure) never imports the store, the use cases, the configuration or the edges.', CORE, OUTSIDE_CORE),
    never('features-not-engine', 'Features never import the engine.', 'features', 'engine'),
    never('profiles-not-features-engine', 'Profiles never import features or the engine.', 'profiles', '(features|engine)'),
    never('retrieval-not-above', 'Retrieval never imports profiles, features or the engine.', 'retrieval', '(profiles|features|engine)'),
    never('text-not-above', 'Text never imports retrieval, profiles, features or the engine.', 'text', '(retrieval|profiles|features|engine)'),
    {
      name: 'domain-imports-nothing',
      comment: 'The domain imports nothing of src but itself.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: '^src/', pathNot: '^src/domain/' },
    },
    never('use-cases-not-edges', 'Use cases never import the edges (api, cli, web, worker).', USE_CASES, EDGES),
    never('cli-not-api', 'The command line never imports the HTTP edge (serve starts src/service, which composes it).', 'cli', 'api'),
    never('edges-not-service', 'Only the command line starts the service; the API and the web pages never import it.', '(api|web|worker)', 'service'),
    never('service-not-cli', 'The service composes the use cases and the HTTP edge, never the command line that starts it.', 'service', 'cli'),
    never('use-cases-not-service', 'Use cases never import the service that composes them.', USE_CASES, 'service'),
    never('api-not-cli', 'The HTTP edge never imports the command line.', 'api', 'cli'),
    never('web-not-cli', 'The web edge never imports the command line.', 'web', 'cli'),
    {
      name: 'db-imports-domain-only',
      comment: 'The store imports only the domain (and its own files).',
      severity: 'error',
      from: { path: '^src/db/' },
      to: { path: '^src/', pathNot: '^src/(db|domain)/' },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'Every import resolves to a file or an installed package.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'src-not-to-dev-dep',
      comment: 'Code that ships (src) never imports a devDependency: it is absent from a production install.',
      severity: 'error',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'], pathNot: 'node_modules/@types/' },
    },
  ],
  options: {
    exclude: { path: '^(benchmarks/results|coverage|\\.data|tmp)/' },
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.mjs', '.js', '.cjs', '.json'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
    cache: { folder: 'node_modules/.cache/dependency-cruiser', strategy: 'content' },
  },
};
