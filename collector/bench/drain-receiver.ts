/**
 * A local OTLP/HTTP endpoint in a child process: it reads each request to the end and answers
 * 200, like a collector that accepts everything. Running it out of process keeps its CPU off
 * the bridge's event loop, as a real collector would be.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';

export interface DrainReceiver {
  url: string;
  stop(): Promise<void>;
}

/** Runs in the child (`DRAIN_RECEIVER=1`). */
function serve(): void {
  const server = createServer((req, res) => {
    req.on('data', () => undefined);
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    if (address && typeof address === 'object') process.send?.({ port: address.port });
  });
}

export function startDrainReceiver(): Promise<DrainReceiver> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = fork(__filename, [], {
      env: { ...process.env, DRAIN_RECEIVER: '1' },
      execArgv: ['--require', 'tsx/cjs'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.once('error', reject);
    child.once('message', (message: { port: number }) =>
      resolve({
        url: `http://127.0.0.1:${message.port}`,
        stop: () =>
          new Promise((done) => {
            child.once('exit', () => done());
            child.kill();
          }),
      }),
    );
  });
}

if (process.env.DRAIN_RECEIVER === '1') serve();
