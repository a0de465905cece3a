/** Lua shared by the executors of list-backed failed jobs (plain lists, Gravito Stream). */

/**
 * Removes each of `ARGV` once from the list `KEYS[1]`, by exact value, in one atomic step;
 * returns how many went. An element already gone (a worker or another command took it) counts 0.
 */
export const REMOVE_EACH_ONCE = `local n = 0
for i = 1, #ARGV do
  n = n + redis.call('LREM', KEYS[1], 1, ARGV[i])
end
return n`;
