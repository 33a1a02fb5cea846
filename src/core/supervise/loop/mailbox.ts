// One queue of everything the supervisor reacts to (signals, child exits, log events, timers).

/** Push from any callback; `next` hands events out in order, one awaiting reader at a time. */
export interface Mailbox<T> {
  push(event: T): void;
  next(): Promise<T>;
  /** Takes a queued event that matches, without waiting. */
  take(matches: (event: T) => boolean): T | undefined;
}

/** Creates an empty mailbox. */
export function createMailbox<T>(): Mailbox<T> {
  const queue: T[] = [];
  let waiting: ((event: T) => void) | undefined;
  return {
    push(event) {
      if (waiting === undefined) {
        queue.push(event);
        return;
      }
      const resolve = waiting;
      waiting = undefined;
      resolve(event);
    },
    next() {
      const event = queue.shift();
      if (event !== undefined) return Promise.resolve(event);
      return new Promise((resolve) => (waiting = resolve));
    },
    take(matches) {
      const index = queue.findIndex(matches);
      return index < 0 ? undefined : queue.splice(index, 1)[0];
    },
  };
}
