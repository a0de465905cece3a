// Bundles the standalone Pulse page (src/page/main.tsx, with the Grafana plugin's components and
// @grafana/ui; src/page/boot.ts is an entry of its own, so that it runs before any shared chunk)
// twice: dist/page with React's production build, as Grafana ships it, and dist/page-profiling
// with React's profiling build, whose <Profiler> reports commit timings to the render benchmark
// (`?profile=1`). The two differ only in which react-dom they bundle.
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

/** Resolves the bare `react-dom` (imported by `react-dom/client` too) to its profiling build. */
const profilingReactDom = {
  name: 'react-dom-profiling',
  setup(pluginBuild) {
    // `react-dom/profiling` is the package's public entry to that build.
    const profiling = require.resolve('react-dom/profiling');
    pluginBuild.onResolve({ filter: /^react-dom$/ }, () => ({ path: profiling }));
  },
};

const common = {
  absWorkingDir: root,
  entryPoints: ['src/page/boot.ts', 'src/page/main.tsx'],
  bundle: true,
  format: 'esm',
  splitting: true,
  target: 'es2020',
  minify: true,
  sourcemap: true,
  jsx: 'transform',
  define: { 'process.env.NODE_ENV': '"production"' },
  loader: {
    '.svg': 'file',
    '.png': 'file',
    '.woff': 'file',
    '.woff2': 'file',
    '.ttf': 'file',
    '.eot': 'file',
  },
  logLevel: 'warning',
};

await Promise.all([
  build({ ...common, outdir: 'dist/page' }),
  build({ ...common, outdir: 'dist/page-profiling', plugins: [profilingReactDom] }),
]);
