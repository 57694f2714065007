/** The compiler options the plugin tests' temp projects share (each adds its rootDir, outDir and plugins). */
export const BASE_COMPILER_OPTIONS = {
  target: 'ES2022',
  module: 'NodeNext',
  moduleResolution: 'NodeNext',
  strict: true,
  skipLibCheck: true,
  declaration: true,
};
