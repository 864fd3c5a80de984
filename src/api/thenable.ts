/** A promise, or any object with a `then` (a query builder returned as it is): the routes answer at once when a value is none. */
export const isThenable = <T>(value: T | PromiseLike<T>): value is PromiseLike<T> =>
  typeof (value as { then?: unknown } | undefined)?.then === 'function';
