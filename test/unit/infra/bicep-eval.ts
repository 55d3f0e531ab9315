/**
 * Evaluates the Bicep expressions gallery-guard's infra uses, for tests that need a value for given
 * parameters (how many filter values 40 galleries make, which scopes a role is assignable in). It
 * knows literals, `${}` interpolation, identifiers, member and index access, `!`, `&&`, `||`,
 * comparisons, the ternary, lambdas and a handful of functions; anything else throws (never guesses).
 */
import { BicepExpression, isObject, type BicepFile, type BicepValue } from './bicep';

export type Value = string | number | boolean | null | Value[] | { [key: string]: Value } | Lambda;
interface Lambda {
  readonly params: readonly string[];
  readonly body: Node;
  readonly scope: Scope;
}
type Scope = (name: string) => Value;
type Fn = (...a: Value[]) => Value;

function lookup(scope: Scope, name: string): unknown {
  try {
    return scope(name);
  } catch {
    return undefined;
  }
}

type Node =
  | { k: 'lit'; v: Value }
  | { k: 'str'; parts: (string | Node)[] }
  | { k: 'id'; name: string }
  | { k: 'member'; of: Node; name: string }
  | { k: 'index'; of: Node; at: Node }
  | { k: 'call'; fn: string; args: Node[] }
  | { k: 'unary'; op: string; of: Node }
  | { k: 'binary'; op: string; l: Node; r: Node }
  | { k: 'cond'; c: Node; t: Node; f: Node }
  | { k: 'lambda'; params: string[]; body: Node }
  | { k: 'array'; items: Node[] };

const FUNCTIONS: Record<string, (...a: Value[]) => Value> = {
  length: (x) => (typeof x === 'string' || Array.isArray(x) ? x.length : Object.keys(obj(x)).length),
  empty: (x) => (x === null ? true : typeof x === 'string' || Array.isArray(x) ? x.length === 0 : Object.keys(obj(x)).length === 0),
  split: (s, sep) => str(s).split(str(sep)),
  trim: (s) => str(s).trim(),
  toLower: (s) => str(s).toLowerCase(),
  last: (x) => (Array.isArray(x) ? (x[x.length - 1] ?? null) : str(x).slice(-1)),
  take: (x, n) => (Array.isArray(x) ? x.slice(0, Number(n)) : str(x).slice(0, Number(n))),
  concat: (...xs) => (xs.every(Array.isArray) ? xs.flat() : xs.map(str).join('')),
  union: (...xs) => (xs.every(Array.isArray) ? [...new Map(xs.flat().map((v) => [JSON.stringify(v), v])).values()] : (Object.assign({}, ...xs.map(obj)) as Value)),
  contains: (x, v) => (Array.isArray(x) ? x.includes(v) : typeof x === 'string' ? x.includes(str(v)) : v !== null && str(v) in obj(x)),
}; // prettier-ignore

const LAMBDA_FUNCTIONS: Record<string, (items: Value[], f: (...a: Value[]) => Value) => Value> = {
  map: (items, f) => items.map((x, i) => f(x, i)),
  filter: (items, f) => items.filter((x, i) => f(x, i) === true),
};

function str(v: Value): string {
  if (typeof v !== 'string') throw new Error(`expected a string, got ${JSON.stringify(v)}`);
  return v;
}
function obj(v: Value): Record<string, Value> {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || 'body' in v) throw new Error('expected an object');
  return v;
} // prettier-ignore

class ExprParser {
  private i = 0;
  constructor(private readonly s: string) {}

  parse(): Node {
    const node = this.cond();
    this.ws();
    if (this.i < this.s.length) throw new Error(`cannot evaluate "${this.s}" past ${this.i}`);
    return node;
  }

  private ws(): void {
    while (/\s/.test(this.s[this.i] ?? '')) this.i++;
  }
  private eat(t: string): boolean {
    this.ws();
    if (this.s.startsWith(t, this.i)) {
      this.i += t.length;
      return true;
    }
    return false;
  }
  private expect(t: string): void {
    if (!this.eat(t)) throw new Error(`expected "${t}" in "${this.s}" at ${this.i}`);
  }

  private cond(): Node {
    const c = this.or();
    if (!this.eat('?')) return c;
    const t = this.cond();
    this.expect(':');
    return { k: 'cond', c, t, f: this.cond() };
  }
  private or(): Node {
    let l = this.and();
    while (this.eat('||')) l = { k: 'binary', op: '||', l, r: this.and() };
    return l;
  }
  private and(): Node {
    let l = this.cmp();
    while (this.eat('&&')) l = { k: 'binary', op: '&&', l, r: this.cmp() };
    return l;
  }
  private cmp(): Node {
    const l = this.add();
    for (const op of ['==', '!=', '<=', '>=', '<', '>']) if (this.eat(op)) return { k: 'binary', op, l, r: this.add() };
    return l;
  } // prettier-ignore
  private add(): Node {
    let l = this.unary();
    for (;;) {
      this.ws();
      const op = this.s[this.i];
      if ((op !== '+' && op !== '-') || this.s[this.i + 1] === '>') return l;
      this.i++;
      l = { k: 'binary', op, l, r: this.unary() };
    }
  }
  private unary(): Node {
    if (this.eat('!')) return { k: 'unary', op: '!', of: this.unary() };
    return this.postfix(this.primary());
  }
  private postfix(node: Node): Node {
    for (;;) {
      if (this.eat('.')) node = { k: 'member', of: node, name: this.ident() };
      else if (this.eat('[')) {
        const at = this.cond();
        this.expect(']');
        node = { k: 'index', of: node, at };
      } else return node;
    }
  }
  private ident(): string {
    this.ws();
    const m = /^[A-Za-z_]\w*/.exec(this.s.slice(this.i));
    if (!m) throw new Error(`expected a name in "${this.s}" at ${this.i}`);
    this.i += m[0].length;
    return m[0];
  }
  private primary(): Node {
    this.ws();
    const c = this.s[this.i];
    if (c === "'") return this.string();
    if (c === '(') {
      this.i++;
      const inner = this.cond();
      this.expect(')');
      return inner;
    }
    if (c === '[') {
      this.i++;
      const items: Node[] = [];
      while (!this.eat(']')) {
        items.push(this.cond());
        this.eat(',');
      }
      return { k: 'array', items };
    }
    const num = /^\d+/.exec(this.s.slice(this.i));
    if (num) {
      this.i += num[0].length;
      return { k: 'lit', v: Number(num[0]) };
    }
    const name = this.ident();
    if (name === 'true' || name === 'false') return { k: 'lit', v: name === 'true' };
    if (name === 'null') return { k: 'lit', v: null };
    if (this.eat('=>')) return { k: 'lambda', params: [name], body: this.cond() };
    this.ws();
    if (this.s[this.i] === '(') {
      this.i++;
      const args: Node[] = [];
      while (!this.eat(')')) {
        args.push(this.cond());
        this.eat(',');
      }
      return { k: 'call', fn: name, args };
    }
    return { k: 'id', name };
  }
  private string(): Node {
    this.i++;
    const parts: (string | Node)[] = [];
    let text = '';
    while (this.i < this.s.length && this.s[this.i] !== "'") {
      if (this.s[this.i] === '\\') {
        text += this.s[this.i + 1];
        this.i += 2;
      } else if (this.s.startsWith('${', this.i)) {
        parts.push(text);
        text = '';
        this.i += 2;
        parts.push(this.cond());
        this.expect('}');
      } else text += this.s[this.i++];
    }
    this.i++;
    parts.push(text);
    return { k: 'str', parts };
  }
}

function run(node: Node, scope: Scope): Value {
  switch (node.k) {
    case 'lit':
      return node.v;
    case 'str':
      return node.parts.map((p) => (typeof p === 'string' ? p : String(run(p, scope) as string))).join('');
    case 'id':
      return scope(node.name);
    case 'member':
      return obj(run(node.of, scope))[node.name] ?? null;
    case 'index': {
      const of = run(node.of, scope);
      const at = run(node.at, scope);
      return Array.isArray(of) ? (of[Number(at)] ?? null) : (obj(of)[str(at)] ?? null);
    }
    case 'array':
      return node.items.map((n) => run(n, scope));
    case 'lambda':
      return { params: node.params, body: node.body, scope };
    case 'unary':
      return run(node.of, scope) !== true;
    case 'cond':
      return run(node.c, scope) === true ? run(node.t, scope) : run(node.f, scope);
    case 'binary': {
      if (node.op === '&&') return run(node.l, scope) === true && run(node.r, scope) === true;
      if (node.op === '||') return run(node.l, scope) === true || run(node.r, scope) === true;
      const l = run(node.l, scope);
      const r = run(node.r, scope);
      if (node.op === '==') return JSON.stringify(l) === JSON.stringify(r);
      if (node.op === '!=') return JSON.stringify(l) !== JSON.stringify(r);
      const [a, b] = [Number(l), Number(r)];
      if (node.op === '+') return a + b;
      if (node.op === '-') return a - b;
      return node.op === '<=' ? a <= b : node.op === '>=' ? a >= b : node.op === '<' ? a < b : a > b;
    }
    case 'call': {
      const lambdaFn = LAMBDA_FUNCTIONS[node.fn];
      if (lambdaFn) {
        const items = run(node.args[0]!, scope);
        const f = run(node.args[1]!, scope) as Lambda;
        if (!Array.isArray(items)) throw new Error(`${node.fn} needs an array`);
        return lambdaFn(items, (...a) =>
          run(f.body, (n) => {
            const at = f.params.indexOf(n);
            return at >= 0 ? (a[at] ?? null) : f.scope(n);
          }),
        );
      }
      const custom = lookup(scope, node.fn);
      if (typeof custom === 'function') return (custom as Fn)(...node.args.map((a) => run(a, scope)));
      const fn = FUNCTIONS[node.fn];
      if (!fn) throw new Error(`unknown function ${node.fn}()`);
      return fn(...node.args.map((a) => run(a, scope)));
    }
  }
}

/**
 * The value of `value` (a parsed Bicep value) in `file`, with `params` for the file's parameters
 * (their defaults otherwise) and `names` for anything else (e.g. `subscription`).
 */
export function evaluate(
  file: BicepFile,
  value: BicepValue | undefined,
  params: Readonly<Record<string, Value>>,
  names: Readonly<Record<string, Value | Fn>> = {},
): Value {
  const scope: Scope = (name) => {
    if (name in params) return params[name]!;
    if (name in names) return names[name] as Value;
    const d = file.declarations.find((x) => (x.keyword === 'var' || x.keyword === 'param') && x.name === name);
    if (d?.value === undefined) throw new Error(`${file.path}: no value for ${name}`);
    return toValue(d.value, scope);
  }; // prettier-ignore
  if (value === undefined) throw new Error('nothing to evaluate');
  return toValue(value, scope);
}

function toValue(v: BicepValue, scope: Scope): Value {
  if (v instanceof BicepExpression) return run(new ExprParser(v.text).parse(), scope);
  if (Array.isArray(v)) return v.map((x) => toValue(x, scope));
  if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toValue(x, scope)]));
  // The parser keeps an interpolated string literal as its text: evaluate its `${}` parts too.
  if (typeof v === 'string' && v.includes('${'))
    return run(new ExprParser(`'${v.replace(/'/g, "\\'")}'`).parse(), scope);
  return v;
}
