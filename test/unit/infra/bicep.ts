/**
 * A small, honest reader of Bicep text for tests (Bicep cannot be compiled on this machine).
 * It understands the subset gallery-guard's infra uses: top-level `param`, `var`, `resource`,
 * `module`, `output`; object and array literals; string literals with `${}` interpolation;
 * `existing`, `if (...)` and `[for ...: ...]` forms. Anything it does not evaluate (function calls,
 * ternaries, references) is kept verbatim as a BicepExpression, so a test can still look at it.
 * It throws on text it cannot read rather than guessing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export class BicepExpression {
  constructor(readonly text: string) {}
}

export type BicepValue = string | number | boolean | null | BicepExpression | BicepValue[] | BicepObject;
export interface BicepObject {
  [key: string]: BicepValue;
}

export interface BicepDeclaration {
  readonly file: string;
  readonly keyword: 'param' | 'var' | 'resource' | 'module' | 'output';
  readonly name: string;
  /** Resource type without API version (resources), module path (modules), type text (param/output). */
  readonly type: string;
  readonly apiVersion?: string;
  readonly existing: boolean;
  /** Raw condition text of `= if (<condition>)`. */
  readonly condition?: string;
  /** Raw header of `[for <header>: ...]`. */
  readonly loop?: string;
  readonly decorators: readonly string[];
  /** Body (resource/module) or value (var/output/param default). */
  readonly value?: BicepValue;
}

export class BicepParseError extends Error {
  constructor(file: string, text: string, pos: number, message: string) {
    const line = text.slice(0, pos).split('\n').length;
    super(`${file}:${line}: ${message}`);
    this.name = 'BicepParseError';
  }
}

/** Replaces // and /* *\/ comments with spaces (newlines kept), leaving string literals alone. */
export function stripComments(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    if (text.startsWith("'''", i)) {
      const end = text.indexOf("'''", i + 3);
      const stop = end < 0 ? text.length : end + 3;
      out += text.slice(i, stop);
      i = stop;
    } else if (text[i] === "'") {
      const stop = skipString(text, i);
      out += text.slice(i, stop);
      i = stop;
    } else if (text.startsWith('//', i)) {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? text.length : end;
      out += ' '.repeat(stop - i);
      i = stop;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? text.length : end + 2;
      out += text.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else {
      out += text[i];
      i++;
    }
  }
  return out;
}

/** Index just past the single-quoted string starting at `start` (handles escapes and `${...}`). */
function skipString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') {
      i += 2;
    } else if (c === "'") {
      return i + 1;
    } else if (c === '$' && text[i + 1] === '{') {
      i = skipBalanced(text, i + 1);
    } else {
      i++;
    }
  }
  return i;
}

/** `text[start]` is an opener; returns the index just past its matching closer. */
function skipBalanced(text: string, start: number): number {
  const closers: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
  const stack: string[] = [];
  let i = start;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "'") {
      i = skipString(text, i);
      continue;
    }
    const closer = closers[c];
    if (closer !== undefined) stack.push(closer);
    else if (c === ')' || c === ']' || c === '}') {
      if (stack.pop() !== c) return i + 1;
      if (stack.length === 0) return i + 1;
    }
    i++;
  }
  return i;
}

function unescape(raw: string): string {
  return raw.replace(/\\(['\\nrt$])/g, (_m, c: string) =>
    c === 'n' ? '\n' : c === 'r' ? '\r' : c === 't' ? '\t' : c,
  );
}

class Parser {
  private pos = 0;
  constructor(
    private readonly file: string,
    private readonly text: string,
  ) {}

  private fail(message: string): never {
    throw new BicepParseError(this.file, this.text, this.pos, message);
  }

  private skipInline(): void {
    while (this.pos < this.text.length && /[ \t\r]/.test(this.text[this.pos]!)) this.pos++;
  }

  private skipAll(): void {
    while (this.pos < this.text.length && /[\s,]/.test(this.text[this.pos]!)) this.pos++;
  }

  private peek(): string {
    return this.text[this.pos] ?? '';
  }

  private expect(token: string): void {
    this.skipInline();
    if (!this.text.startsWith(token, this.pos)) this.fail(`expected "${token}"`);
    this.pos += token.length;
  }

  private identifier(): string {
    this.skipInline();
    const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.pos));
    if (match === null) this.fail('expected an identifier');
    this.pos += match[0].length;
    return match[0];
  }

  private stringLiteral(): string {
    this.skipInline();
    if (this.text.startsWith("'''", this.pos)) {
      const end = this.text.indexOf("'''", this.pos + 3);
      if (end < 0) this.fail('unterminated multi-line string');
      const value = this.text.slice(this.pos + 3, end);
      this.pos = end + 3;
      return value.replace(/^\r?\n/, '');
    }
    if (this.peek() !== "'") this.fail('expected a string literal');
    const end = skipString(this.text, this.pos);
    const raw = this.text.slice(this.pos + 1, end - 1);
    this.pos = end;
    return unescape(raw);
  }

  /** Raw expression text up to the end of the line, or a `,` `}` `]` at depth 0. */
  private rawExpression(): BicepExpression {
    this.skipInline();
    const start = this.pos;
    while (this.pos < this.text.length) {
      const c = this.peek();
      if (c === '\n' || c === ',' || c === '}' || c === ']') break;
      if (c === "'") this.pos = skipString(this.text, this.pos);
      else if (c === '(' || c === '[' || c === '{') this.pos = skipBalanced(this.text, this.pos);
      else if (c === ')') this.fail('unbalanced ")"');
      else this.pos++;
    }
    const text = this.text.slice(start, this.pos).trim();
    if (text.length === 0) this.fail('expected a value');
    return new BicepExpression(text);
  }

  /** True when the value just read ends the item (so it was not the start of a larger expression). */
  private atValueEnd(): boolean {
    this.skipInline();
    const c = this.peek();
    return c === '' || c === '\n' || c === ',' || c === '}' || c === ']';
  }

  value(): BicepValue {
    this.skipInline();
    const start = this.pos;
    const c = this.peek();
    let parsed: BicepValue | undefined;
    if (c === '{') parsed = this.object();
    else if (c === '[' && !/^\[\s*for\b/.test(this.text.slice(this.pos))) parsed = this.array();
    else if (c === "'") parsed = this.stringLiteral();
    else {
      const literal = /^(-?\d+(?:\.\d+)?|true|false|null)\b/.exec(this.text.slice(this.pos));
      if (literal !== null) {
        this.pos += literal[0].length;
        const word = literal[0];
        parsed = word === 'true' ? true : word === 'false' ? false : word === 'null' ? null : Number(word);
      }
    }
    if (parsed !== undefined && this.atValueEnd()) return parsed;
    this.pos = start;
    return this.rawExpression();
  }

  private object(): BicepObject {
    this.expect('{');
    const result: BicepObject = {};
    for (;;) {
      this.skipAll();
      if (this.peek() === '}') {
        this.pos++;
        return result;
      }
      if (this.pos >= this.text.length) this.fail('unterminated object');
      const key = this.peek() === "'" ? this.stringLiteral() : this.identifier();
      this.expect(':');
      if (Object.prototype.hasOwnProperty.call(result, key)) this.fail(`duplicate property "${key}"`);
      result[key] = this.value();
    }
  }

  private array(): BicepValue[] {
    this.expect('[');
    const result: BicepValue[] = [];
    for (;;) {
      this.skipAll();
      if (this.peek() === ']') {
        this.pos++;
        return result;
      }
      if (this.pos >= this.text.length) this.fail('unterminated array');
      result.push(this.value());
    }
  }

  /** `= {...}`, `= if (cond) {...}`, `= [for header: {...}]` or `= [for header: if (cond) {...}]`. */
  private body(): Pick<BicepDeclaration, 'condition' | 'loop' | 'value'> {
    this.expect('=');
    this.skipInline();
    let loop: string | undefined;
    let condition: string | undefined;
    const loopMatch = /^\[\s*for\b/.exec(this.text.slice(this.pos));
    if (loopMatch !== null) {
      this.pos += loopMatch[0].length;
      const start = this.pos;
      while (this.pos < this.text.length && this.peek() !== ':') {
        if (this.peek() === '(' || this.peek() === '[') this.pos = skipBalanced(this.text, this.pos);
        else if (this.peek() === "'") this.pos = skipString(this.text, this.pos);
        else this.pos++;
      }
      loop = this.text.slice(start, this.pos).trim();
      this.expect(':');
      this.skipInline();
    }
    if (/^if\s*\(/.test(this.text.slice(this.pos))) {
      this.pos += 2;
      this.skipInline();
      const start = this.pos;
      this.pos = skipBalanced(this.text, this.pos);
      condition = this.text.slice(start + 1, this.pos - 1).trim();
      this.skipInline();
    }
    if (this.peek() !== '{') this.fail('expected a body object');
    const value = this.object();
    if (loop !== undefined) {
      this.skipAll();
      this.expect(']');
    }
    return { condition, loop, value };
  }

  /** Type text of a param/output: everything up to `=` or the end of the line. */
  private typeText(): string {
    this.skipInline();
    const start = this.pos;
    while (this.pos < this.text.length && this.peek() !== '=' && this.peek() !== '\n') {
      if (this.peek() === '{' || this.peek() === '(' || this.peek() === '[')
        this.pos = skipBalanced(this.text, this.pos);
      else this.pos++;
    }
    return this.text.slice(start, this.pos).trim();
  }

  private skipLine(): void {
    while (this.pos < this.text.length && this.peek() !== '\n') {
      if (this.peek() === '{' || this.peek() === '(' || this.peek() === '[')
        this.pos = skipBalanced(this.text, this.pos);
      else if (this.peek() === "'") this.pos = skipString(this.text, this.pos);
      else this.pos++;
    }
  }

  file_(): BicepDeclaration[] {
    const declarations: BicepDeclaration[] = [];
    let decorators: string[] = [];
    for (;;) {
      while (this.pos < this.text.length && /\s/.test(this.peek())) this.pos++;
      if (this.pos >= this.text.length) return declarations;
      if (this.peek() === '@') {
        const start = this.pos;
        this.pos++;
        this.identifier();
        if (this.peek() === '(') this.pos = skipBalanced(this.text, this.pos);
        decorators.push(this.text.slice(start, this.pos));
        continue;
      }
      const keyword = this.identifier();
      const common = { file: this.file, decorators, existing: false };
      decorators = [];
      switch (keyword) {
        case 'resource': {
          const name = this.identifier();
          const typeRef = this.stringLiteral();
          const [type, apiVersion] = typeRef.split('@');
          if (type === undefined || apiVersion === undefined)
            this.fail(`resource type "${typeRef}" lacks @api`);
          this.skipInline();
          const existing = /^existing\b/.test(this.text.slice(this.pos));
          if (existing) this.pos += 'existing'.length;
          declarations.push({ ...common, keyword, name, type, apiVersion, ...this.body(), existing });
          break;
        }
        case 'module': {
          const name = this.identifier();
          const type = this.stringLiteral();
          declarations.push({ ...common, keyword, name, type, ...this.body() });
          break;
        }
        case 'param':
        case 'output': {
          const name = this.identifier();
          const type = this.typeText();
          let value: BicepValue | undefined;
          if (this.peek() === '=') {
            this.pos++;
            value = this.value();
          }
          if (keyword === 'output' && value === undefined) this.fail(`output ${name} has no value`);
          declarations.push({ ...common, keyword, name, type, value });
          break;
        }
        case 'var': {
          const name = this.identifier();
          this.expect('=');
          declarations.push({ ...common, keyword, name, type: '', value: this.value() });
          break;
        }
        case 'targetScope':
        case 'func':
        case 'type':
        case 'import':
        case 'metadata':
          this.skipLine();
          break;
        default:
          this.fail(`unexpected "${keyword}" at top level`);
      }
    }
  }
}

export interface BicepFile {
  readonly path: string;
  readonly text: string;
  readonly declarations: readonly BicepDeclaration[];
}

export function parseBicep(path: string, text: string): BicepFile {
  const declarations = new Parser(path, stripComments(text)).file_();
  return { path, text, declarations };
}

/** Every .bicep file under `dir`, parsed; paths relative to `root`. */
export function loadBicepTree(root: string, dir: string): BicepFile[] {
  const files: BicepFile[] = [];
  const walk = (current: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.bicep')) {
        files.push(parseBicep(relative(root, full), readFileSync(full, 'utf8')));
      }
    }
  };
  walk(dir);
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

export function resources(files: readonly BicepFile[], type?: string): BicepDeclaration[] {
  return files
    .flatMap((f) => f.declarations)
    .filter(
      (d) => d.keyword === 'resource' && (type === undefined || d.type.toLowerCase() === type.toLowerCase()),
    );
}

export function declaration(
  file: BicepFile,
  keyword: BicepDeclaration['keyword'],
  name: string,
): BicepDeclaration {
  const found = file.declarations.find((d) => d.keyword === keyword && d.name === name);
  if (found === undefined) throw new Error(`${file.path}: no ${keyword} "${name}"`);
  return found;
}

export function isObject(value: BicepValue | undefined): value is BicepObject {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof BicepExpression)
  );
}

/** Value at a dotted path (`properties.filter.advancedFilters`), or undefined. */
export function at(value: BicepValue | undefined, path: string): BicepValue | undefined {
  let current = value;
  for (const key of path.split('.')) {
    if (!isObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

/** Text of a value as written: strings as-is, expressions verbatim, others as JSON. */
export function textOf(value: BicepValue | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  if (value instanceof BicepExpression) return value.text;
  return JSON.stringify(value, (_k, v: unknown) => (v instanceof BicepExpression ? `<${v.text}>` : v));
}

/** Follows a bare identifier to the `var` or `param` default of the same file; other values unchanged. */
export function resolve(file: BicepFile, value: BicepValue | undefined): BicepValue | undefined {
  if (!(value instanceof BicepExpression) || !/^[A-Za-z_]\w*$/.test(value.text)) return value;
  const target = file.declarations.find(
    (d) => (d.keyword === 'var' || d.keyword === 'param') && d.name === value.text,
  );
  return target?.value === undefined ? value : resolve(file, target.value);
}
