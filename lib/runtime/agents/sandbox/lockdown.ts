// Frozen intrinsics for a test session: run before the code under test, so that code cannot
// change the built-ins the tests and the harness rely on (Array.prototype, JSON, Object, Promise,
// ...). Every object reachable from the global built-ins (and the hidden iterator, generator and
// async-function prototypes) is frozen, and the global bindings of the built-ins are made
// read-only. As in SES, a few inherited data properties (toString, valueOf, constructor, name,
// message...) become accessors whose setter defines an own property on the object assigned to,
// so ordinary code such as `Foo.prototype.toString = ...` keeps working (the "override mistake").
// Globals the host installs for the guest (`input`) are left alone.
export const LOCKDOWN = `(() => {
  const { defineProperty, freeze, getOwnPropertyDescriptor, getOwnPropertyDescriptors, getOwnPropertyNames, getPrototypeOf } = Object;
  const ownKeys = Reflect.ownKeys;
  const enable = (proto, names) => {
    for (const name of names) {
      const d = getOwnPropertyDescriptor(proto, name);
      if (!d || !("value" in d) || !d.writable) continue;
      const value = d.value;
      defineProperty(proto, name, {
        get() { return value },
        set(v) {
          if (this === proto) throw new TypeError("Cannot assign to '" + String(name) + "' of a frozen built-in");
          defineProperty(this, name, { value: v, writable: true, enumerable: true, configurable: true });
        },
        enumerable: d.enumerable,
        configurable: false,
      });
    }
  };
  enable(Object.prototype, ["toString", "toLocaleString", "valueOf", "constructor", "hasOwnProperty", "isPrototypeOf", "propertyIsEnumerable"]);
  enable(Error.prototype, ["name", "message", "toString", "constructor"]);
  enable(Function.prototype, ["toString", "constructor"]);
  enable(Array.prototype, ["toString", "constructor"]);
  // Iterative and one descriptor call per object: a run pays about 2 ms for it. Plain built-in
  // functions (no prototype of their own) hold nothing but their name and length: frozen in place.
  const seen = new Set();
  const stack = [];
  const walk = (root) => {
    stack.push(root);
    while (stack.length) {
      const o = stack.pop();
      if ((typeof o !== "object" && typeof o !== "function") || o === null || seen.has(o)) continue;
      seen.add(o);
      const ds = getOwnPropertyDescriptors(o);
      for (const key of ownKeys(ds)) {
        const d = ds[key];
        if ("value" in d) {
          const v = d.value;
          if (typeof v === "function" && !("prototype" in v)) freeze(v);
          else stack.push(v);
        } else {
          if (d.get) freeze(d.get);
          if (d.set) freeze(d.set);
        }
      }
      stack.push(getPrototypeOf(o));
      freeze(o);
    }
  };
  for (const name of getOwnPropertyNames(globalThis)) {
    if (name === "input" || name === "globalThis") continue;
    const d = getOwnPropertyDescriptor(globalThis, name);
    if (!d || !d.configurable) continue;
    if ("value" in d) {
      walk(d.value);
      defineProperty(globalThis, name, { value: d.value, writable: false, enumerable: d.enumerable, configurable: false });
    }
  }
  walk(getPrototypeOf(globalThis));
})()`;
