// A small typed event emitter without Node imports (node:events is not in the kiosk's browser build).
// Events are declared as in Node's EventEmitter<T>: { name: [arg, …] }.

type Listener<A extends unknown[]> = (...args: A) => void;

export class TypedEmitter<E extends { [K in keyof E]: unknown[] }> {
  private readonly listeners = new Map<keyof E, Set<Listener<never>>>();

  on<K extends keyof E>(event: K, fn: Listener<E[K]>): this {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(fn as Listener<never>);
    return this;
  }

  off<K extends keyof E>(event: K, fn: Listener<E[K]>): this {
    this.listeners.get(event)?.delete(fn as Listener<never>);
    return this;
  }

  /** Listeners run in order; one that throws does not stop the others nor the emitter's owner. */
  emit<K extends keyof E>(event: K, ...args: E[K]): void {
    for (const fn of [...(this.listeners.get(event) ?? [])]) {
      try {
        (fn as Listener<E[K]>)(...args);
      } catch (err) {
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  }
}
