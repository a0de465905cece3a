import { SeenCommands } from '../../src/commands/listener/seen-commands';

describe('SeenCommands', () => {
  it('refuses an id seen before, until it may be forgotten', () => {
    const seen = new SeenCommands();
    expect(seen.add('c1', 1000, 5000)).toBe(true);
    expect(seen.add('c1', 4999, 9000)).toBe(false);
    expect(seen.add('c1', 5001, 9000)).toBe(true);
  });

  it('keeps at most its bound, forgetting the oldest first', () => {
    const seen = new SeenCommands(100);
    for (let i = 0; i < 1000; i++) expect(seen.add(`c${i}`, 0, 60_000)).toBe(true);
    expect(seen.size).toBe(100);
    expect(seen.add('c999', 0, 60_000)).toBe(false);
    expect(seen.add('c0', 0, 60_000)).toBe(true);
  });

  it('drops forgotten ids as new ones arrive', () => {
    const seen = new SeenCommands(100);
    for (let i = 0; i < 50; i++) seen.add(`old${i}`, 0, 10);
    seen.add('new', 20, 1000);
    expect(seen.size).toBe(1);
  });
});
