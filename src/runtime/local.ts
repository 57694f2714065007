/**
 * greenlets/local: gevent.local.local, an object whose properties are per greenlet.
 *
 * `new Local()` returns a Proxy. Each greenlet that touches it gets its own property dictionary. The dictionaries
 * live on the greenlet (a WeakMap keyed by the Local's state, in its rarely-used fields), so a greenlet's values
 * go away when it dies even if the Greenlet object is still referenced (gevent issue 387), and a Local nobody
 * references any more goes away even while greenlets that touched it run on (gevent issue 981). What is not in
 * the dictionary is looked up on the class's prototype (methods, getters, static-like defaults), with `this`
 * being the proxy, so methods of a subclass read and write the calling greenlet's values.
 *
 * A subclass's constructor runs again, with the same arguments, the first time each other greenlet touches the
 * object (gevent's `__init__` semantics): constructor arguments can't be seen from the base class in JS, so a
 * subclass passes its arguments on with `super(...args)`, and those are the ones it is re-run with. The re-run
 * constructs on the same proxy, so `this` keeps its identity and class fields are initialised per greenlet.
 * Private fields (`#x`) belong to the object itself, not to a greenlet, so a subclass cannot have them.
 */
import { getcurrent } from './hub.js';
import type { Greenlet } from './greenlet.js';

type Dict = Record<PropertyKey, unknown>;

/** Set while a subclass constructor is re-run for a greenlet: the Local constructor then hands back the proxy. */
let reinit: LocalState | null = null;

class LocalState implements ProxyHandler<object> {
  proxy: object = null!;

  constructor(
    readonly proto: object,
    /** The subclass to re-run per greenlet; null for a plain Local. */
    readonly ctor: (new (...args: any[]) => unknown) | null,
    readonly args: unknown[],
  ) {}

  /** The current greenlet's dictionary, created (and the subclass constructor run) on first touch. */
  dict(): Dict {
    const g = getcurrent();
    const x = g._extra();
    const mine = (x.locals ??= new WeakMap());
    let d = mine.get(this);
    if (d === undefined) {
      d = Object.create(null) as Dict;
      // Registered before the constructor runs, as in gevent: its own property accesses must find this dict
      // instead of starting another initialisation; if it throws, what it had set stays.
      mine.set(this, d);
      if (this.ctor !== null) this.rerun();
    }
    return d;
  }

  /** Run the subclass constructor again, on the proxy, for the greenlet whose dictionary was just made. */
  private rerun(): void {
    const outer = reinit;
    reinit = this;
    try {
      Reflect.construct(this.ctor!, this.args);
    } catch (e) {
      if (e instanceof TypeError && /twice on the same object/.test(e.message)) {
        throw new TypeError(
          `${this.ctor!.name} extends Local but has a private field (${e.message}): a private field belongs to the ` +
            `object, not to a greenlet. Use an ordinary property, which is per greenlet.`,
        );
      }
      throw e;
    } finally {
      reinit = outer;
    }
  }

  /** @internal The creating greenlet's dictionary, made before its constructor runs. */
  init(): void {
    const x = getcurrent()._extra();
    (x.locals ??= new WeakMap()).set(this, Object.create(null));
  }

  get(_t: object, key: PropertyKey, receiver: unknown): unknown {
    const d = this.dict();
    if (key in d) return Reflect.get(d, key, receiver);
    return Reflect.get(this.proto, key, receiver);
  }

  set(_t: object, key: PropertyKey, value: unknown, receiver: unknown): boolean {
    const d = this.dict();
    if (key in d && receiver === this.proxy) return Reflect.set(d, key, value, receiver);
    // Not an own value yet: a setter (or read-only property) on the class decides; otherwise the value is
    // defined on the receiver, which for the proxy is our defineProperty below.
    return Reflect.set(this.proto, key, value, receiver);
  }

  has(_t: object, key: PropertyKey): boolean {
    return key in this.dict() || key in this.proto;
  }

  deleteProperty(_t: object, key: PropertyKey): boolean {
    return delete this.dict()[key];
  }

  defineProperty(_t: object, key: PropertyKey, desc: PropertyDescriptor): boolean {
    return Reflect.defineProperty(this.dict(), key, desc);
  }

  getOwnPropertyDescriptor(_t: object, key: PropertyKey): PropertyDescriptor | undefined {
    const desc = Reflect.getOwnPropertyDescriptor(this.dict(), key);
    // The proxy's target has no own properties, so a property can only be reported as configurable.
    if (desc !== undefined) desc.configurable = true;
    return desc;
  }

  ownKeys(): (string | symbol)[] {
    return Reflect.ownKeys(this.dict());
  }
}

class LocalBase {
  constructor(...args: unknown[]) {
    const target = new.target;
    const r = reinit;
    if (r !== null && r.ctor === target) {
      // A per-greenlet re-run of a subclass constructor: construct on the existing proxy.
      reinit = null;
      return r.proxy as never;
    }
    if (target === LocalBase && args.length > 0) {
      throw new TypeError(
        'Local: initialization arguments are not supported by Local itself; subclass it and pass the ' +
          'arguments to super(...args) so the constructor can run again in each greenlet.',
      );
    }
    if (target !== LocalBase && args.length < target.length) {
      // `constructor(user: string) { super(); ... }`: every other greenlet would re-run it with user undefined.
      throw new TypeError(
        `${target.name} extends Local: its constructor takes ${target.length} argument${target.length === 1 ? '' : 's'} ` +
          `but passes ${args.length} to super(). It runs again in each greenlet that touches the object, with the ` +
          `arguments given to super(...): pass them all, e.g. super(...arguments).`,
      );
    }
    const state = new LocalState(target.prototype, target === LocalBase ? null : target, args);
    // The target carries the prototype so instanceof and Object.getPrototypeOf see the class.
    const proxy = new Proxy(Object.create(target.prototype), state);
    state.proxy = proxy;
    // The creating greenlet's dict exists from the start, and the constructor now running fills it.
    state.init();
    return proxy;
  }
}

export interface LocalConstructor {
  /**
   * An object whose properties are per greenlet: `new Local<{ user: string }>()` is typed as `{ user: string }`.
   * A subclass passes its constructor arguments to `super(...args)`; its constructor runs again with them in
   * each greenlet that first touches the object.
   */
  new <T extends object = {}>(...args: unknown[]): T;
  readonly prototype: object;
}

/** gevent.local.local: see LocalConstructor. */
export const Local: LocalConstructor = LocalBase as never;
export type Local<T extends object = {}> = T;
