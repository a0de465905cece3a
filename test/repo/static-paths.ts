/**
 * The paths a test file reaches that can be known without running it: relative module
 * specifiers, `join`/`resolve` calls built from `__dirname` or from constants made of it (in the
 * file, or imported from a relative module), and jest's `<rootDir>` strings. Paths built from
 * run-time values (`tmpdir()`, `homedir()`, the environment) are left alone: those are the
 * temporary folders, caches and system tools a test may use.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import ts from 'typescript';

/** One path a file builds or imports, evaluated. */
export interface PathUse {
  /** The file that reaches it (absolute). */
  file: string;
  /** 1-based line of the expression. */
  line: number;
  /** The expression, as written. */
  source: string;
  /** The absolute path it evaluates to. */
  path: string;
}

/** Reads a module's text, or undefined when there is none (for tests: an in-memory tree). */
export type ReadModule = (file: string) => string | undefined;

const readFromDisk: ReadModule = (file) =>
  statSync(file, { throwIfNoEntry: false })?.isFile() ? readFileSync(file, 'utf8') : undefined;

const MODULE_SUFFIXES = ['', '.ts', '.tsx', '.js', '/index.ts', '/index.js'];
const MAX_DEPTH = 8;
const PATH_FUNCTIONS: ReadonlyMap<string, (...parts: string[]) => string> = new Map([
  ['join', join],
  ['resolve', resolve],
]);

/** What `<rootDir>` means in `file`: a jest config's own folder, else its package's folder. */
function rootDirOf(file: string, read: ReadModule): string {
  if (basename(file) === 'jest.config.js' && basename(dirname(file)) !== '.config') {
    return dirname(file);
  }
  let dir = dirname(file);
  while (read(join(dir, 'package.json')) === undefined && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** A parsed file with its top-level constants and relative named imports. */
interface Scope {
  file: string;
  source: ts.SourceFile;
  consts: Map<string, ts.Expression>;
  imports: Map<string, { from: string; name: string }>;
}

function scopeOf(file: string, text: string): Scope {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const consts = new Map<string, ts.Expression>();
  const imports = new Map<string, { from: string; name: string }>();
  for (const statement of source.statements) {
    if (ts.isVariableStatement(statement)) {
      for (const decl of statement.declarationList.declarations) {
        if (ts.isIdentifier(decl.name) && decl.initializer) {
          consts.set(decl.name.text, decl.initializer);
        }
      }
    } else if (
      ts.isImportDeclaration(statement) &&
      ts.isStringLiteral(statement.moduleSpecifier) &&
      statement.moduleSpecifier.text.startsWith('.')
    ) {
      const bindings = statement.importClause?.namedBindings;
      if (bindings && ts.isNamedImports(bindings)) {
        for (const element of bindings.elements) {
          imports.set(element.name.text, {
            from: resolve(dirname(file), statement.moduleSpecifier.text),
            name: (element.propertyName ?? element.name).text,
          });
        }
      }
    }
  }
  return { file, source, consts, imports };
}

/** Evaluates paths statically, following constants across relative imports. */
class Evaluator {
  private readonly scopes = new Map<string, Scope | undefined>();

  constructor(private readonly read: ReadModule) {}

  scope(file: string, text?: string): Scope | undefined {
    if (!this.scopes.has(file)) {
      const found = text ?? this.read(file);
      this.scopes.set(file, found === undefined ? undefined : scopeOf(file, found));
    }
    return this.scopes.get(file);
  }

  /** The string `node` always evaluates to, or undefined when that depends on run time. */
  value(node: ts.Expression, scope: Scope, depth = 0): string | undefined {
    if (depth > MAX_DEPTH) return undefined;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      return node.text.includes('<rootDir>')
        ? node.text.replaceAll('<rootDir>', rootDirOf(scope.file, this.read))
        : node.text;
    }
    if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node)) {
      return this.value(node.expression, scope, depth + 1);
    }
    if (ts.isIdentifier(node)) return this.identifier(node.text, scope, depth);
    if (ts.isCallExpression(node)) {
      const fn = pathFunction(node);
      if (fn === undefined) return undefined;
      const parts = node.arguments.map((arg) => this.value(arg, scope, depth + 1));
      if (parts.length === 0 || parts.some((p) => p === undefined)) return undefined;
      const [first] = parts as string[];
      // A relative `resolve` depends on the working directory: not known statically.
      return isAbsolute(first!) ? fn(...(parts as string[])) : undefined;
    }
    return undefined;
  }

  private identifier(name: string, scope: Scope, depth: number): string | undefined {
    if (name === '__dirname') return dirname(scope.file);
    const local = scope.consts.get(name);
    if (local) return this.value(local, scope, depth + 1);
    const imported = scope.imports.get(name);
    if (!imported) return undefined;
    for (const suffix of MODULE_SUFFIXES) {
      const other = this.scope(`${imported.from}${suffix}`);
      const initializer = other?.consts.get(imported.name);
      if (other && initializer) return this.value(initializer, other, depth + 1);
    }
    return undefined;
  }
}

/** `join`/`resolve`, bare or as `path.join`/`path.resolve`. */
function pathFunction(call: ts.CallExpression): ((...parts: string[]) => string) | undefined {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) return PATH_FUNCTIONS.get(callee.text);
  if (
    ts.isPropertyAccessExpression(callee) &&
    ts.isIdentifier(callee.expression) &&
    callee.expression.text === 'path'
  ) {
    return PATH_FUNCTIONS.get(callee.name.text);
  }
  return undefined;
}

/** A relative module specifier of an import, export, `require`, `import()` or `jest.mock`. */
function moduleSpecifier(node: ts.Node): ts.StringLiteral | undefined {
  if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
    return ts.isStringLiteral(node.moduleSpecifier) ? node.moduleSpecifier : undefined;
  }
  if (!ts.isCallExpression(node)) return undefined;
  const [first] = node.arguments;
  if (!first || !ts.isStringLiteral(first)) return undefined;
  const callee = node.expression.getText();
  const loads = ['require', 'require.resolve', 'jest.mock', 'jest.requireActual'];
  return node.expression.kind === ts.SyntaxKind.ImportKeyword || loads.includes(callee)
    ? first
    : undefined;
}

/** Every path `file` (whose text is `text`) reaches statically. */
export function staticPaths(
  file: string,
  text: string,
  read: ReadModule = readFromDisk,
): PathUse[] {
  const evaluator = new Evaluator(read);
  const scope = evaluator.scope(file, text)!;
  const uses: PathUse[] = [];
  const add = (node: ts.Node, path: string) => {
    const { line } = scope.source.getLineAndCharacterOfPosition(node.getStart());
    uses.push({ file, line: line + 1, source: node.getText(), path });
  };
  const visit = (node: ts.Node): void => {
    const specifier = moduleSpecifier(node);
    if (specifier?.text.startsWith('.')) add(node, resolve(dirname(file), specifier.text));
    if (ts.isCallExpression(node) && pathFunction(node)) {
      const path = evaluator.value(node, scope);
      if (path !== undefined) add(node, path);
    } else if (ts.isStringLiteral(node) && node.text.startsWith('<rootDir>')) {
      add(node, resolve(evaluator.value(node, scope)!));
    }
    ts.forEachChild(node, visit);
  };
  visit(scope.source);
  return uses;
}
