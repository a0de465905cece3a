import { BoundedQueue } from '../../src/slowlog/bounded-queue';

describe('BoundedQueue', () => {
  it('keeps items in the order they were pushed', () => {
    const queue = new BoundedQueue<number>(5);
    [1, 2, 3].forEach((n) => queue.push(n));
    expect(queue.peek(10)).toEqual([1, 2, 3]);
    expect(queue.shift()).toBe(1);
    expect(queue.length).toBe(2);
  });

  it('evicts and returns the oldest item when full', () => {
    const queue = new BoundedQueue<number>(3);
    const evicted = [1, 2, 3, 4, 5].map((n) => queue.push(n));
    expect(evicted).toEqual([undefined, undefined, undefined, 1, 2]);
    expect(queue.peek(10)).toEqual([3, 4, 5]);
  });

  it('replaces the front with the items to keep, in order', () => {
    const queue = new BoundedQueue<number>(10);
    [1, 2, 3, 4, 5].forEach((n) => queue.push(n));
    queue.replaceFront(3, [2]);
    expect(queue.peek(10)).toEqual([2, 4, 5]);
  });

  it('stays correct across many pushes and shifts', () => {
    const queue = new BoundedQueue<number>(100);
    for (let n = 0; n < 10_000; n++) queue.push(n);
    expect(queue.length).toBe(100);
    expect(queue.peek(2)).toEqual([9900, 9901]);
    for (let n = 0; n < 99; n++) queue.shift();
    expect(queue.peek(10)).toEqual([9999]);
    expect(queue.shift()).toBe(9999);
    expect(queue.shift()).toBeUndefined();
    expect(queue.length).toBe(0);
  });
});
