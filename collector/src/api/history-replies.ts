/**
 * History replies shared by every client asking the same thing within one step. The history only
 * changes when a new step is recorded, so until then a service's whole history (a page opening)
 * and its newest points (every page's poll, all with the same `since`) are built once however
 * many clients ask. A reply for chosen queues is built on its own.
 */
import type { QueueHistory } from '../history/queue-history';
import { historyText } from './history-json';
import type { HistoryQuery } from './history-json';

/** Characters of replies kept for the current step; past it, replies are built and not kept. */
export const HISTORY_CACHE_MAX_CHARS = 8 * 1024 * 1024;

export class HistoryReplies {
  private step = -Infinity;
  private readonly texts = new Map<string, string>();
  private chars = 0;

  constructor(private readonly history: QueueHistory) {}

  /** Replies kept for the current step, and their characters. */
  get kept(): { replies: number; chars: number } {
    return { replies: this.texts.size, chars: this.chars };
  }

  text(query: HistoryQuery): string {
    if (query.queues !== undefined) return historyText(this.history, query);
    if (this.history.lastStepMs !== this.step) {
      this.step = this.history.lastStepMs;
      this.texts.clear();
      this.chars = 0;
    }
    const key = `${query.service}\u0000${query.sinceMs ?? ''}`;
    const kept = this.texts.get(key);
    if (kept !== undefined) return kept;
    const text = historyText(this.history, query);
    if (this.chars + text.length <= HISTORY_CACHE_MAX_CHARS) {
      this.texts.set(key, text);
      this.chars += text.length;
    }
    return text;
  }
}
