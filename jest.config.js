/** @type {import('jest').Config} */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];
const ESM_ONLY = '(@nestjs|stream-json|stream-chain|diff|fast-check|nest-commander)';
module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  testRegex: '(src/.*\\.spec\\.ts|test/.*\\.e2e-spec\\.ts)$',
  transform: {
    '^.+\\.ts$': swc,
    // NestJS 12, stream-json 3 and a few others ship ESM only; Jest (on Node 20) cannot
    // require(esm), so they are compiled to CommonJS for tests. Node itself loads them
    // natively from dist/ (require(esm), Node >= 20.19).
    [`/node_modules/${ESM_ONLY}/.+\\.m?js$`]: [
      '@swc/jest',
      { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!${ESM_ONLY}/)`],
  testTimeout: 60000,
  maxWorkers: 2,
  setupFiles: ['reflect-metadata'],
};
