/** The part of autocannon (no published types) that benchmarks/load.ts uses. */
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  interface Options {
    url: string;
    connections?: number;
    duration?: number;
    timeout?: number;
    requests?: object[];
  }
  interface Result { errors: number; timeouts: number; non2xx: number }
  type Instance = EventEmitter & PromiseLike<Result>;
  export default function autocannon(options: Options): Instance;
}
