import net from 'node:net';
import postgres from 'postgres';
import { startThrowaway, throwawayBinaries } from './test/support/throwaway-pg.ts';
const t0 = Date.now();
const log = (...a: unknown[]) => console.log(((Date.now() - t0) / 1000).toFixed(2), ...a);
const orig = net.Socket.prototype.connect;
(net.Socket.prototype as any).connect = function (this: net.Socket, ...args: any[]) {
  log('connect', JSON.stringify(args[0]));
  this.once('error', (e) => log('socket error', (e as Error).message));
  this.once('close', () => log('socket close'));
  this.once('connect', () => log('socket connected'));
  return (orig as any).apply(this, args);
};
const pg = await startThrowaway(throwawayBinaries()!);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
for (let round = 0; round < Number(process.argv[2] ?? 3); round++) {
  const client = postgres(pg.url, { max: 1, onnotice: () => {}, connect_timeout: 10, backoff: () => 0.5 });
  let listens = 0;
  await client.listen('chan', (p) => log('NOTIFY', p), () => { listens++; log('onlisten', listens); });
  log('stop'); pg.stop(); log('stopped');
  await sleep(10_000);
  log('start'); pg.start(); log('started');
  const until = Date.now() + 15_000;
  while (listens < 2 && Date.now() < until) await sleep(100);
  log(listens < 2 ? 'FAILED: no relisten in 15 s' : 'relistened');
  await client.end({ timeout: 1 });
}
pg.remove?.();
process.exit(0);
