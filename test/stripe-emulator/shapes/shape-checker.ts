import ts from 'typescript';
import { fileURLToPath } from 'node:url';

const TYPES_FILE = fileURLToPath(new URL('./stripe-types.ts', import.meta.url));
const PROJECT = fileURLToPath(new URL('../../../tsconfig.json', import.meta.url));

/**
 * Compares JSON values with the `stripe` package's TypeScript types, through the compiler's type checker: every
 * required property present, no property the type does not declare, primitives, string literals (`object: 'invoice'`),
 * arrays, nullability and expandable unions as declared. Answers the differences as `path: problem` lines.
 */
export class StripeShapeChecker {
  private readonly checker: ts.TypeChecker;
  private readonly shapes: ts.Type;

  constructor() {
    const config = ts.getParsedCommandLineOfConfigFile(
      PROJECT,
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (d) => {
          throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
        },
      },
    );
    const program = ts.createProgram([TYPES_FILE], { ...config!.options, noEmit: true });
    this.checker = program.getTypeChecker();
    const source = program.getSourceFile(TYPES_FILE)!;
    const problems = ts.getPreEmitDiagnostics(program, source);
    if (problems.length) throw new Error(problems.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('\n'));
    const declaration = source.statements.find(ts.isInterfaceDeclaration)!;
    this.shapes = this.checker.getTypeAtLocation(declaration);
  }

  /** The names `check` accepts (the properties of StripeShapes). */
  names(): string[] {
    return this.checker.getPropertiesOfType(this.shapes).map((p) => p.name);
  }

  check(name: string, value: unknown): string[] {
    const prop = this.shapes.getProperty(name);
    if (!prop) throw new Error(`StripeShapes has no ${name}`);
    const problems: string[] = [];
    this.value(value, this.checker.getTypeOfSymbol(prop), name, problems);
    return problems;
  }

  private value(value: unknown, type: ts.Type, path: string, problems: string[]): void {
    const f = type.flags;
    if (f & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return;
    if (type.isUnion()) return this.union(value, type.types, path, problems);
    if (f & ts.TypeFlags.Null) return void (value !== null && problems.push(`${path}: ${show(value)} where null is expected`));
    if (f & ts.TypeFlags.StringLiteral)
      return void (value !== (type as ts.StringLiteralType).value && problems.push(`${path}: ${show(value)} is not '${(type as ts.StringLiteralType).value}'`));
    if (f & ts.TypeFlags.NumberLiteral)
      return void (value !== (type as ts.NumberLiteralType).value && problems.push(`${path}: ${show(value)} is not ${(type as ts.NumberLiteralType).value}`));
    if (f & ts.TypeFlags.BooleanLiteral)
      return void (
        value !== (this.checker.typeToString(type) === 'true') && problems.push(`${path}: ${show(value)} is not ${this.checker.typeToString(type)}`)
      );
    if (f & (ts.TypeFlags.String | ts.TypeFlags.TemplateLiteral) || this.isOtherString(type))
      return void (typeof value !== 'string' && problems.push(`${path}: ${show(value)} is not a string`));
    if (f & ts.TypeFlags.Number) return void (typeof value !== 'number' && problems.push(`${path}: ${show(value)} is not a number`));
    if (f & ts.TypeFlags.Boolean) return void (typeof value !== 'boolean' && problems.push(`${path}: ${show(value)} is not a boolean`));
    // The SDK turns Stripe's decimal strings into its Decimal class; on the wire they are strings.
    if (isDecimal(type))
      return void (!(typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) && problems.push(`${path}: ${show(value)} is not a decimal string`));
    if (this.checker.isArrayType(type)) {
      if (!Array.isArray(value)) return void problems.push(`${path}: ${show(value)} is not an array`);
      const [item] = this.checker.getTypeArguments(type as ts.TypeReference);
      value.forEach((v, i) => this.value(v, item!, `${path}[${i}]`, problems));
      return;
    }
    if (f & (ts.TypeFlags.Object | ts.TypeFlags.Intersection)) return this.object(value, type, path, problems);
    problems.push(`${path}: type ${this.checker.typeToString(type)} is not understood by the checker`);
  }

  private union(value: unknown, members: ts.Type[], path: string, problems: string[]): void {
    const defined = members.filter((m) => !(m.flags & ts.TypeFlags.Undefined));
    // Compare with the members of the value's own kind, so an object with a wrong field is not reported as "not null".
    const sameKind = defined.filter((m) => this.kind(m) === kindOf(value));
    const candidates = sameKind.length ? sameKind : defined;
    let best: string[] | undefined;
    for (const member of candidates) {
      const found: string[] = [];
      this.value(value, member, path, found);
      if (found.length === 0) return;
      if (!best || found.length < best.length) best = found;
    }
    problems.push(...(best ?? [`${path}: nothing to compare with`]));
  }

  private object(value: unknown, type: ts.Type, path: string, problems: string[]): void {
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      return void problems.push(`${path}: ${show(value)} is not an object (${this.checker.typeToString(type)})`);
    const record = value as Record<string, unknown>;
    const declared = new Map(this.checker.getPropertiesOfType(type).map((p) => [p.name, p]));
    const index = this.checker.getIndexInfosOfType(type).find((i) => i.keyType.flags & ts.TypeFlags.String);
    for (const [name, prop] of declared) {
      const optional = (prop.flags & ts.SymbolFlags.Optional) !== 0;
      if (!(name in record)) {
        if (!optional) problems.push(`${path}.${name}: required but missing (${this.checker.typeToString(this.checker.getTypeOfSymbol(prop))})`);
        continue;
      }
      this.value(record[name], this.checker.getTypeOfSymbol(prop), `${path}.${name}`, problems);
    }
    for (const key of Object.keys(record)) {
      if (declared.has(key)) continue;
      if (index) this.value(record[key], index.type, `${path}.${key}`, problems);
      else problems.push(`${path}.${key}: not a field of ${this.checker.typeToString(type)}`);
    }
  }

  private kind(type: ts.Type): string {
    const f = type.flags;
    if (f & ts.TypeFlags.Null) return 'null';
    if (f & (ts.TypeFlags.StringLike | ts.TypeFlags.TemplateLiteral) || this.isOtherString(type) || isDecimal(type)) return 'string';
    if (f & ts.TypeFlags.NumberLike) return 'number';
    if (f & ts.TypeFlags.BooleanLike) return 'boolean';
    if (this.checker.isArrayType(type)) return 'array';
    return 'object';
  }

  /** Stripe's enums end in `OtherString` (`string & Record<never, never>`): any string. */
  private isOtherString(type: ts.Type): boolean {
    return type.isIntersection() && type.types.some((t) => (t.flags & ts.TypeFlags.String) !== 0);
  }
}

const isDecimal = (type: ts.Type): boolean => (type.aliasSymbol ?? type.getSymbol())?.name === 'Decimal';

const kindOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

const show = (v: unknown): string => {
  const text = JSON.stringify(v);
  return text === undefined ? String(v) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
};
