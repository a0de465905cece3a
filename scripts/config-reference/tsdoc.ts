/**
 * Reads TSDoc with the TypeScript parser: the documented fields of an options interface, the
 * comment on a declaration, and a string-valued object literal. Nothing here formats Markdown.
 */
import * as ts from 'typescript';
import type { ReferenceSources } from './sources';

/** One option field: its dotted name, declared type, TSDoc text and `@default`. */
export interface Field {
  name: string;
  type: string;
  doc: string;
  default: string | undefined;
}

/** `text` with every run of whitespace folded to one space. */
export const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();
const unlink = (text: string): string => text.replace(/\{@link\s+([^}\s]+)\s*\}/g, '`$1`');

/** The source file at `path`, as `sources` gives its text. */
export function parse(sources: ReferenceSources, path: string): ts.SourceFile {
  return ts.createSourceFile(path, sources.readSource(path), ts.ScriptTarget.ES2022, true);
}

/** The last TSDoc block of `node`: its text and its `@default` tag, if any. */
export function docOf(node: ts.Node): { doc: string; default: string | undefined } {
  const docs = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc);
  const last = docs[docs.length - 1];
  const tag = last?.tags?.find((t) => t.tagName.text === 'default');
  const text = (c: ts.JSDoc['comment']): string => unlink(ts.getTextOfJSDocComment(c) ?? '');
  return { doc: text(last?.comment), default: tag ? oneLine(text(tag.comment)) : undefined };
}

/** The fields of `name`, inherited ones first; fields typed by a plain options interface nest. */
export function fieldsOf(file: ts.SourceFile, name: string, prefix = ''): Field[] {
  const interfaces = new Map(
    file.statements.filter(ts.isInterfaceDeclaration).map((i) => [i.name.text, i]),
  );
  const decl = interfaces.get(name);
  if (!decl) throw new Error(`${file.fileName}: no interface ${name}`);
  const inherited = (decl.heritageClauses ?? []).flatMap((h) =>
    h.types.flatMap((t) => fieldsOf(file, t.expression.getText(file), prefix)),
  );
  const own = decl.members.filter(ts.isPropertySignature).flatMap((m) => {
    const type = m.type?.getText(file) ?? 'unknown';
    const field = { name: prefix + m.name.getText(file), type, ...docOf(m) };
    const nested = interfaces.get(type);
    // Contracts (interfaces with methods) are types to implement, not options to set.
    return nested && !nested.members.some(ts.isMethodSignature)
      ? [field, ...fieldsOf(file, type, `${field.name}.`)]
      : [field];
  });
  return [...inherited, ...own];
}

/** The TSDoc of the statement declaring `name`, else the file's opening comment. */
export function statementDoc(file: ts.SourceFile, name: string): string {
  const statement = file.statements.find(
    (s) =>
      ts.isVariableStatement(s) && s.declarationList.declarations[0]?.name.getText(file) === name,
  );
  const own = statement ? docOf(statement).doc : '';
  if (own) return own;
  const first = file.statements[0];
  const range = first && ts.getLeadingCommentRanges(file.text, first.getFullStart())?.[0];
  if (!range) return '';
  return file.text
    .slice(range.pos, range.end)
    .replace(/^\/\*\*\s*|\s*\*\/$/g, '')
    .replace(/^\s*\* ?/gm, '');
}

/** The object literal assigned to `const name` in a file, as string pairs. */
export function objectLiteral(file: ts.SourceFile, name: string): [string, string][] {
  for (const s of file.statements.filter(ts.isVariableStatement)) {
    const d = s.declarationList.declarations[0];
    if (d?.name.getText(file) !== name || !d.initializer) continue;
    if (!ts.isObjectLiteralExpression(d.initializer)) break;
    return d.initializer.properties.filter(ts.isPropertyAssignment).map((p) => {
      if (!ts.isStringLiteral(p.initializer)) throw new Error(`${name}: not a string`);
      return [p.name.getText(file), p.initializer.text];
    });
  }
  throw new Error(`${file.fileName}: no object literal ${name}`);
}
