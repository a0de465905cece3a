import React from 'react';
import { render, screen, within } from '@testing-library/react';
import { readNode, type PulseNode } from '../../pulse/node';
import { bunNode, goNode, sdkNode } from '../../testing/collectorReplies';
import { testIds } from '../testIds';
import { CardHeader } from './CardHeader';
import { NodeCard, nodeCardPropsEqual } from './NodeCard';

// Counts the card's own renders: the header renders exactly when the card does.
jest.mock('./CardHeader', () => {
  const actual = jest.requireActual('./CardHeader');
  return { ...actual, CardHeader: jest.fn(actual.CardHeader) };
});

const ids = testIds.nodeCard;

function node(value: Record<string, unknown>): PulseNode {
  const read = readNode(value);
  if (!read) {
    throw new Error('fixture has no id');
  }
  return read;
}

/** The heartbeat exactly as the original agent wrote it: no collector verdict. */
function original(value: Record<string, unknown>): Record<string, unknown> {
  const beat = { ...value };
  delete beat.status;
  delete beat.ageMs;
  delete beat.lastSeenAt;
  return beat;
}

/** The Go agent's fixture reports each worker's process state. */
const goAgentNode = {
  ...goNode,
  meta: {
    laravel: {
      ...goNode.meta.laravel,
      workers: [{ ...goNode.meta.laravel.workers[0], status: 'sleep' }],
    },
  },
};

const meter = (testId: string) => within(screen.getByTestId(testId)).getByRole('meter');

describe('NodeCard header', () => {
  it('shows the node id, hostname, platform, PID and uptime', () => {
    render(<NodeCard node={node(bunNode)} />);
    const card = screen.getByTestId(ids.card);
    expect(within(card).getByText('worker-01-48213')).toBeInTheDocument();
    expect(within(card).getByText('worker-01 · linux · PID 48213')).toBeInTheDocument();
    expect(screen.getByTestId(ids.uptime)).toHaveTextContent('up 20m');
  });

  it('takes the status from the server only, never from the beat timestamp', () => {
    const old = node({ ...bunNode, timestamp: 1_000, lastSeenAt: 1_000, status: 'online' });
    const { unmount } = render(<NodeCard node={old} />);
    expect(screen.getByTestId(ids.status)).toHaveTextContent('online');
    expect(screen.getByTestId(ids.status)).toHaveAttribute('data-status', 'online');
    unmount();

    render(<NodeCard node={node({ ...bunNode, timestamp: Date.now(), status: 'offline' })} />);
    expect(screen.getByTestId(ids.status)).toHaveTextContent('offline');
    expect(screen.getByTestId(ids.card)).toHaveAttribute('data-status', 'offline');
  });

  it('shows stale from the server verdict and unknown without one', () => {
    const { unmount } = render(<NodeCard node={node(goNode)} />);
    expect(screen.getByTestId(ids.status)).toHaveTextContent('stale');
    unmount();
    render(<NodeCard node={node(original(bunNode))} />);
    expect(screen.getByTestId(ids.status)).toHaveTextContent('unknown');
  });

  it.each([
    ['node', 'Node.js'],
    ['bun', 'Bun'],
    ['deno', 'Deno'],
    ['php', 'PHP'],
    ['go', 'Go'],
    ['python', 'Python'],
  ])('draws the %s runtime icon', (language, name) => {
    render(<NodeCard node={node({ ...bunNode, language, version: '1.0' })} />);
    const icon = screen.getByTestId(ids.runtimeIcon);
    expect(icon).toHaveAttribute('data-runtime', language);
    expect(screen.getByRole('img', { name: `${name} 1.0` })).toBe(icon);
  });

  it('falls back to a generic icon for another or a missing runtime', () => {
    const { unmount } = render(<NodeCard node={node({ ...bunNode, language: 'ruby', version: undefined })} />);
    expect(screen.getByTestId(ids.runtimeIcon)).toHaveAttribute('data-runtime', 'generic');
    expect(screen.getByRole('img', { name: 'ruby' })).toBeInTheDocument();
    unmount();
    render(<NodeCard node={node({ ...bunNode, language: 7, version: undefined })} />);
    expect(screen.getByRole('img', { name: 'unknown runtime' })).toHaveAttribute('data-runtime', 'generic');
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])(
    'shows a runtime named %s as itself, on the generic badge',
    (language) => {
      render(<NodeCard node={node({ ...bunNode, language, version: undefined })} />);
      expect(screen.getByRole('img', { name: language })).toHaveAttribute('data-runtime', 'generic');
    }
  );
});

describe('NodeCard CPU', () => {
  it('shows process and system on the same 0–100 scale with their units', () => {
    render(<NodeCard node={node(bunNode)} />);
    expect(screen.getByTestId(ids.cpuProcess)).toHaveTextContent('4.2% of one core');
    expect(screen.getByTestId(ids.cpuSystem)).toHaveTextContent('23% of machine');
    expect(meter(ids.cpuProcess)).toHaveAttribute('aria-valuemax', '100');
    expect(meter(ids.cpuSystem)).toHaveAttribute('aria-valuemax', '100');
    expect(meter(ids.cpuSystem)).toHaveAttribute('aria-valuenow', '23');
  });

  it('caps a process above one core at a full bar and shows the number', () => {
    render(<NodeCard node={node(sdkNode)} />);
    expect(screen.getByTestId(ids.cpuProcess)).toHaveTextContent('143.5% of one core');
    expect(meter(ids.cpuProcess)).toHaveAttribute('aria-valuenow', '100');
    expect(meter(ids.cpuProcess)).toHaveAttribute('data-capped', 'true');
    expect(meter(ids.cpuProcess).firstElementChild).toHaveStyle({ width: '100%' });
    // Inside a container with a CPU quota, system CPU is a share of the quota.
    expect(screen.getByTestId(ids.cpuSystem)).toHaveTextContent('61.2% of CPU quota');
  });

  it('colours by the thresholds from props', () => {
    const { rerender } = render(<NodeCard node={node(sdkNode)} />);
    expect(meter(ids.cpuSystem)).toHaveAttribute('data-level', 'ok');
    rerender(<NodeCard node={node(sdkNode)} thresholds={{ warning: 50, critical: 80 }} />);
    expect(meter(ids.cpuSystem)).toHaveAttribute('data-level', 'warning');
    rerender(<NodeCard node={node(sdkNode)} thresholds={{ warning: 20, critical: 60 }} />);
    expect(meter(ids.cpuSystem)).toHaveAttribute('data-level', 'critical');
  });
});

describe('NodeCard RAM', () => {
  it('shows RSS and system used out of total, heap, event-loop p99 and the container limits', () => {
    render(<NodeCard node={node(sdkNode)} />);
    expect(screen.getByTestId(ids.ramProcess)).toHaveTextContent('298 MiB of 2 GiB');
    expect(screen.getByTestId(ids.ramSystem)).toHaveTextContent('1.20 GiB of 2 GiB limit (60%)');
    expect(meter(ids.ramSystem)).toHaveAttribute('aria-valuenow', '60');
    expect(screen.getByTestId(ids.heap)).toHaveTextContent('heap 144 MiB / 192 MiB');
    expect(screen.getByTestId(ids.eventLoop)).toHaveTextContent('event loop p99 48.7 ms');
    expect(screen.getByTestId(ids.container)).toHaveTextContent('2 GiB memory, 2 CPU cores');
  });

  it('leaves out what the node does not report', () => {
    render(<NodeCard node={node(goNode)} />);
    expect(screen.getByTestId(ids.ramSystem)).toHaveTextContent('of 7.67 GiB total');
    expect(screen.queryByTestId(ids.heap)).not.toBeInTheDocument();
    expect(screen.queryByTestId(ids.eventLoop)).not.toBeInTheDocument();
    expect(screen.queryByTestId(ids.container)).not.toBeInTheDocument();
    expect(screen.queryByTestId(ids.checks)).not.toBeInTheDocument();
  });
});

describe('NodeCard availability checks', () => {
  const checks = [
    {
      name: 'api health',
      type: 'http',
      target: 'https://api.test/health',
      up: true,
      latencyMs: 23.4,
      status: 200,
      certDaysLeft: 9.6,
    },
    { name: 'postgres', type: 'tcp', target: 'db:5432', up: true, latencyMs: 1.2 },
  ];

  it('shows up, latency, status code and a warning for a certificate near expiry', () => {
    render(<NodeCard node={node({ ...sdkNode, checks })} />);
    const [api, db] = screen.getAllByTestId(ids.check);
    expect(api).toHaveTextContent('up');
    expect(api).toHaveTextContent('HTTP 200 · 23.4 ms');
    expect(within(api).getByTestId(ids.certWarning)).toHaveTextContent('cert expires in 9d');
    expect(db).toHaveTextContent('1.2 ms');
    expect(screen.getByTestId(ids.card)).not.toHaveAttribute('data-check-down');
  });

  it('shows the days left without a warning above the threshold from props', () => {
    render(<NodeCard node={node({ ...sdkNode, checks })} certWarningDays={7} />);
    expect(screen.queryByTestId(ids.certWarning)).not.toBeInTheDocument();
    expect(screen.getAllByTestId(ids.check)[0]).toHaveTextContent('cert 9d left');
  });

  it('turns the card red with a visible "down" when a check is down', () => {
    const down = {
      name: 'payments',
      type: 'http',
      target: 'https://pay.test',
      up: false,
      latencyMs: 5000,
      error: 'timeout',
    };
    render(<NodeCard node={node({ ...sdkNode, checks: [...checks, down] })} />);
    expect(screen.getByTestId(ids.card)).toHaveAttribute('data-check-down', 'true');
    const row = screen.getAllByTestId(ids.check)[2];
    expect(row).toHaveAttribute('data-up', 'false');
    expect(within(row).getByText('down')).toBeVisible();
    expect(row).toHaveTextContent('timeout');
  });
});

describe('NodeCard Laravel workers', () => {
  it('renders the box from the Go agent fixture', () => {
    render(<NodeCard node={node(goAgentNode)} />);
    const box = screen.getByTestId(ids.laravel);
    expect(box).toHaveTextContent('Laravel workers 1');
    expect(box).toHaveTextContent('/var/www/app');
    const [worker] = within(box).getAllByTestId(ids.laravelWorker);
    expect(worker).toHaveTextContent('4410');
    expect(worker).toHaveTextContent('40 MiB');
    expect(worker).toHaveTextContent('1.7%');
    expect(worker).toHaveTextContent('sleep');
    expect(worker).toHaveAttribute('title', 'php artisan queue:work redis --queue=default');
  });

  it('is absent without meta.laravel', () => {
    render(<NodeCard node={node(bunNode)} />);
    expect(screen.queryByTestId(ids.laravel)).not.toBeInTheDocument();
  });
});

describe('NodeCard with the original heartbeats', () => {
  it.each([
    ['Bun SDK', original(bunNode), 'worker-01-48213'],
    ['Go agent', original(goAgentNode), 'app-server-01-3121'],
  ])('renders the %s beat as the agent wrote it', (_name, beat, id) => {
    render(<NodeCard node={node(beat)} />);
    expect(screen.getByTestId(ids.card)).toHaveAttribute('data-node-id', id);
    expect(screen.getByTestId(ids.cpuSystem)).toHaveTextContent('of machine');
  });

  it('renders a beat missing nearly everything', () => {
    render(<NodeCard node={node({ id: 'bare' })} />);
    expect(screen.getByTestId(ids.uptime)).toHaveTextContent('up —');
    expect(screen.getByTestId(ids.cpuProcess)).toHaveTextContent('— of one core');
    expect(meter(ids.ramSystem)).toHaveAttribute('aria-valuenow', '0');
  });
});

describe('NodeCard slots', () => {
  it('renders the queues slot and the footer', () => {
    render(
      <NodeCard node={node(bunNode)} footer={<button>Open</button>}>
        <div>queues here</div>
      </NodeCard>
    );
    expect(screen.getByTestId(ids.slot)).toHaveTextContent('queues here');
    expect(screen.getByTestId(ids.footer)).toHaveTextContent('Open');
  });

  it('renders no slot wrappers when none are given', () => {
    render(<NodeCard node={node(bunNode)} />);
    expect(screen.queryByTestId(ids.slot)).not.toBeInTheDocument();
    expect(screen.queryByTestId(ids.footer)).not.toBeInTheDocument();
  });
});

describe('NodeCard memoisation', () => {
  const renders = CardHeader as jest.MockedFunction<typeof CardHeader>;
  beforeEach(() => renders.mockClear());

  it('compares node identity, last beat and server status only', () => {
    const a = node(bunNode);
    expect(nodeCardPropsEqual({ node: a }, { node: a })).toBe(true);
    // A new reply of the same beat: only the server's age moved.
    expect(nodeCardPropsEqual({ node: a }, { node: node({ ...bunNode, ageMs: 9000 }) })).toBe(true);
    expect(nodeCardPropsEqual({ node: a }, { node: node({ ...bunNode, lastSeenAt: 1767500010000 }) })).toBe(false);
    expect(nodeCardPropsEqual({ node: a }, { node: node({ ...bunNode, status: 'stale' }) })).toBe(false);
    expect(nodeCardPropsEqual({ node: a }, { node: node({ ...bunNode, id: 'other' }) })).toBe(false);
    expect(nodeCardPropsEqual({ node: a }, { node: a, thresholds: { warning: 70, critical: 90 } })).toBe(true);
    expect(nodeCardPropsEqual({ node: a }, { node: a, thresholds: { warning: 60, critical: 90 } })).toBe(false);
    expect(nodeCardPropsEqual({ node: a, footer: 'x' }, { node: a, footer: 'y' })).toBe(false);
  });

  it('skips a render when an update carries the same beat', () => {
    const { rerender } = render(<NodeCard node={node(bunNode)} />);
    expect(renders).toHaveBeenCalledTimes(1);

    rerender(<NodeCard node={node({ ...bunNode, ageMs: 4000 })} />);
    expect(renders).toHaveBeenCalledTimes(1);

    rerender(<NodeCard node={node({ ...bunNode, lastSeenAt: 1767500010000, runtime: { uptime: 1244 } })} />);
    expect(renders).toHaveBeenCalledTimes(2);
    expect(screen.getByTestId(ids.uptime)).toHaveTextContent('up 20m');
  });
});
