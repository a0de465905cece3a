/**
 * The README's TypeScript snippets, run for real against the built package and a real Redis:
 * each ```ts block is compiled as written and executed, with `agent` (a real QuasarAgent) and
 * `server` (a real HTTP server) in scope for the blocks that use them without defining them.
 * A snippet that names an option the SDK rejects, or a method it no longer has, fails here.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import ts from 'typescript';
import { QuasarAgent } from '@gravito/quasar';
import { claimDatabase, describeWithRedis } from '../../../testing/redis';

const README = readFileSync(join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
const SNIPPETS = [...README.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
const requireHere = createRequire(__filename);
const silent = { debug() {}, info() {}, warn() {}, error() {} };

/** Every agent a snippet creates, so the test can stop them. */
const created: QuasarAgent[] = [];
class TrackedAgent extends QuasarAgent {
  constructor(options: ConstructorParameters<typeof QuasarAgent>[0]) {
    super({ logger: silent, ...options });
    created.push(this);
  }
}

/**
 * Compiles a snippet to CommonJS and runs it in an async function with `QuasarAgent`, `agent`
 * and `server` in reach (a snippet that continues an earlier one uses them undeclared).
 */
async function run(snippet: string, scope: { agent: QuasarAgent; server: Server }): Promise<void> {
  // Imports stay at the top; the rest goes in a block, so a `const agent` of its own shadows
  // the one in scope.
  const lines = snippet.split('\n');
  const imports = lines.filter((line) => line.startsWith('import '));
  const rest = lines.filter((line) => !line.startsWith('import '));
  const source = `export {};\n${imports.join('\n')}\n{\n${rest.join('\n')}\n}`;
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  });
  const requireShim = (id: string): unknown =>
    id === '@gravito/quasar' ? { QuasarAgent: TrackedAgent } : requireHere(id);
  const body = `return (async () => {\n${outputText.replace(/^"use strict";/, '')}\n})();`;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- running the README's code is this test's purpose
  const fn = new Function('require', 'exports', 'QuasarAgent', 'agent', 'server', body) as (
    ...args: unknown[]
  ) => Promise<void>;
  await fn(requireShim, {}, TrackedAgent, scope.agent, scope.server);
}

describeWithRedis("the README's TypeScript snippets", () => {
  const saved = { ...process.env };
  let server: Server;

  beforeAll(async () => {
    process.env.REDIS_URL = await claimDatabase();
    process.env.QUASAR_TOKEN = 'readme-signing-secret';
    process.env.ORDERS_QUEUE_URL = 'http://127.0.0.1:9/000000000000/orders';
    server = createServer((_req, res) => res.end());
  });

  afterEach(async () => {
    for (const agent of created.splice(0)) await agent.stop();
  });

  afterAll(() => {
    process.env = saved;
    server.close();
  });

  it('has the five-line quick start and the feature snippets', () => {
    expect(SNIPPETS.length).toBeGreaterThanOrEqual(5);
    expect(SNIPPETS[0]).toContain('await agent.start()');
  });

  it.each(SNIPPETS.map((s, i) => [i + 1, s.split('\n')[0]!, s] as const))(
    'snippet %i (%s) runs',
    async (_index, _first, snippet) => {
      const sigtermListeners = process.listeners('SIGTERM');
      const agent = new TrackedAgent({
        service: 'readme',
        transport: { url: process.env.REDIS_URL },
      });
      await run(snippet, { agent, server });
      for (const listener of process.listeners('SIGTERM')) {
        if (!sigtermListeners.includes(listener)) process.removeListener('SIGTERM', listener);
      }
      expect(created.length).toBeGreaterThanOrEqual(1);
    },
  );

  it('the quick start connects to Redis and writes a heartbeat', async () => {
    await run(SNIPPETS[0]!, { agent: undefined as never, server });
    const [agent] = created;
    expect(agent?.getLastHeartbeat()?.service).toBe('orders-api');
    process.removeAllListeners('SIGTERM');
  });
});
