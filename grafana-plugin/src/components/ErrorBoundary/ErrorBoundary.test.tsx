import React from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { readNode, type PulseNode } from '../../pulse/node';
import { bunNode, sdkNode } from '../../testing/collectorReplies';
import { NodeCard } from '../NodeCard';
import { testIds } from '../testIds';
import { CardBoundary } from './CardBoundary';
import { errorMessage, MAX_ERROR_MESSAGE_LENGTH } from './errorMessage';
import { PageBoundary } from './PageBoundary';

const good = readNode(sdkNode)!;
/** A node no reader would make: its checks are not a list, so the card's render throws. */
const broken = { ...readNode(bunNode)!, checks: null } as unknown as PulseNode;

beforeEach(() => {
  // React reports every error a boundary catches on the console; the tests look at the page instead.
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
});

afterEach(() => {
  jest.restoreAllMocks();
});

describe('the node card boundary', () => {
  it('shows which node could not be shown and why, and renders the cards beside it', () => {
    render(
      <>
        <NodeCard node={broken} />
        <NodeCard node={good} />
      </>
    );
    const fallback = screen.getByTestId(testIds.nodeCard.fallback);
    expect(fallback).toHaveAttribute('data-node-id', bunNode.id);
    expect(fallback).toHaveTextContent(`This node could not be shown${bunNode.id}`);
    expect(fallback).toHaveTextContent(/Cannot read properties of null/);
    expect(screen.getByTestId(testIds.nodeCard.card)).toHaveAttribute('data-node-id', sdkNode.id);
  });

  it('tries the card again when the node changes, as on its next beat', () => {
    const { rerender } = render(<NodeCard node={broken} />);
    expect(screen.getByTestId(testIds.nodeCard.fallback)).toBeInTheDocument();
    rerender(<NodeCard node={{ ...readNode(bunNode)!, lastSeenAt: bunNode.lastSeenAt + 1000 }} />);
    expect(screen.queryByTestId(testIds.nodeCard.fallback)).not.toBeInTheDocument();
    expect(screen.getByTestId(testIds.nodeCard.card)).toHaveAttribute('data-node-id', bunNode.id);
  });

  it('names no node when it cannot tell which one', () => {
    const Thrower = () => {
      throw new Error('no node');
    };
    render(
      <CardBoundary node={{ id: 42 }}>
        <Thrower />
      </CardBoundary>
    );
    const fallback = screen.getByTestId(testIds.nodeCard.fallback);
    expect(fallback).not.toHaveAttribute('data-node-id');
    expect(fallback).toHaveTextContent('This node could not be shownno node');
  });
});

describe('the page boundary', () => {
  it('shows the error with a Retry that mounts the page afresh', async () => {
    let fail = true;
    const Page = () => {
      if (fail) {
        throw new RangeError('Invalid time value');
      }
      return <div>the page</div>;
    };
    render(
      <PageBoundary name="test-page">
        <Page />
      </PageBoundary>
    );
    expect(screen.getByTestId(testIds.errorBoundary.page)).toHaveTextContent(
      'This page could not be shownInvalid time value'
    );

    fail = false;
    await userEvent.click(screen.getByTestId(testIds.errorBoundary.retry));
    expect(screen.getByText('the page')).toBeInTheDocument();
    expect(screen.queryByTestId(testIds.errorBoundary.page)).not.toBeInTheDocument();
  });

  it('frames the fallback as asked, and says what could not be shown', () => {
    const Panel = () => {
      throw new Error('boom');
    };
    render(
      <PageBoundary name="test-panel" what="panel" frame={(fallback) => <main aria-label="frame">{fallback}</main>}>
        <Panel />
      </PageBoundary>
    );
    expect(screen.getByRole('main', { name: 'frame' })).toHaveTextContent('This panel could not be shownboom');
  });
});

describe('errorMessage', () => {
  it('cuts a long message, and survives whatever was thrown', () => {
    expect(errorMessage(new Error('x'.repeat(10_000)))).toHaveLength(MAX_ERROR_MESSAGE_LENGTH);
    expect(errorMessage('plain')).toBe('plain');
    expect(errorMessage(Object.create(null))).toBe('unknown error');
    expect(errorMessage(new Error(''))).toBe('unknown error');
  });
});
