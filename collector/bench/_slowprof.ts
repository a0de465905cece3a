import Redis from 'ioredis';
import { startRedisServer } from '../../testing/redis-server';
import { startDrainReceiver } from './drain-receiver';
import { consumerMs, fillStreams, rawLoopMs } from './slowlog-bench';

async function main() {
  const server = await startRedisServer({});
  const rec = await startDrainReceiver();
  const url = server.urlFor(3);
  for (let run = 0; run < 3; run++) {
    const redis = new Redis(url);
    await redis.flushdb();
    await fillStreams(redis, 20000);
    await redis.quit();
    const raw = await rawLoopMs(url, `raw-${run}`);
    const ours = await consumerMs(url, `b-${run}`, rec.url);
    console.log({ raw, ours, ratio: raw / ours });
  }
  await rec.stop();
  await server.stop();
}
main();
