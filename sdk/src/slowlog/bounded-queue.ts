/**
 * A FIFO with a fixed capacity: pushing into a full queue evicts the oldest item, so memory
 * stays bounded however long Redis is away. Amortised O(1) push and shift, no preallocation.
 */
export class BoundedQueue<T> {
  private items: T[] = [];
  /** Index of the oldest item; the array is compacted once the consumed prefix dominates it. */
  private head = 0;

  constructor(
    /** Most items held at once; a positive integer. */
    readonly capacity: number,
  ) {}

  /** Items held. */
  get length(): number {
    return this.items.length - this.head;
  }

  /** Appends an item; returns the oldest one when it had to go to make room. */
  push(item: T): T | undefined {
    this.items.push(item);
    return this.length > this.capacity ? this.shift() : undefined;
  }

  /** Removes and returns the oldest item. */
  shift(): T | undefined {
    if (this.length === 0) return undefined;
    const item = this.items[this.head];
    this.head++;
    this.compact();
    return item;
  }

  /** The oldest `count` items, oldest first, left in place. */
  peek(count: number): T[] {
    return this.items.slice(this.head, this.head + count);
  }

  /** Removes the oldest `count` items and puts `keep` in their place, in order. */
  replaceFront(count: number, keep: readonly T[]): void {
    this.items.splice(this.head, Math.min(count, this.length), ...keep);
  }

  /** Removes every item. */
  clear(): void {
    this.items = [];
    this.head = 0;
  }

  private compact(): void {
    if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    } else if (this.head === this.items.length) {
      this.clear();
    }
  }
}
