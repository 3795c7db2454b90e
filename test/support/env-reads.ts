/**
 * The environment variables the code reads, found in its syntax tree (the TypeScript compiler
 * API, no type checking): `process.env.X`, `env.X`, `env['X']`, and config tables whose helper
 * reads `env[name]` (`int('X', 500)`). A read is defaulted when its value cannot stay unset:
 * the left of `??`, `||` or `&&`, a comparison, a condition (`if`, `?:`, `!`), a table helper
 * given a fallback. Any other read (assigned, passed on, `env.X!`) is plain: the variable must
 * be set, or unset must be a documented choice.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

/** One read of an environment variable. */
export interface EnvRead {
  name: string;
  /** `path:line` of the read. */
  at: string;
  defaulted: boolean;
}

/** What the scan found in some sources. */
export interface EnvScan {
  reads: EnvRead[];
  /** `SHARDLINE_*` names written as strings where no read was recognized: a read the scan does not understand. */
  unrecognized: Array<{ name: string; at: string }>;
}

const ENV_NAME = /^[A-Z][A-Z0-9_]*$/;
const SHARDLINE_NAME = /^SHARDLINE_[A-Z0-9_]+$/;

/** Scans every non-test `.ts` file under the directories (relative to root). */
export function scanEnvReads(root: string, dirs: string[]): EnvScan {
  const scans = dirs.flatMap((dir) => sourceFiles(join(root, dir))).map((file) => scanSource(readFileSync(file, 'utf8'), relative(root, file)));
  return { reads: scans.flatMap((s) => s.reads), unrecognized: scans.flatMap((s) => s.unrecognized) };
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return /\.ts$/.test(entry.name) && !/\.(spec|int-spec|e2e-spec|d)\.ts$/.test(entry.name) ? [path] : [];
  });
}

/** Scans one source text; `file` names it in the answers. */
export function scanSource(text: string, file: string): EnvScan {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const at = (node: ts.Node) => `${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const reads: EnvRead[] = [];
  const helpers = new Set<string>();
  const accounted = new Set<ts.Node>();
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node) && isEnv(node.expression) && ENV_NAME.test(node.name.text)) {
      reads.push({ name: node.name.text, at: at(node), defaulted: isDefaulted(node) });
    } else if (ts.isElementAccessExpression(node) && isEnv(node.expression)) {
      const key = node.argumentExpression;
      if (ts.isStringLiteralLike(key)) {
        reads.push({ name: key.text, at: at(node), defaulted: isDefaulted(node) });
        accounted.add(key);
      } else {
        const helper = enclosingFunctionName(node);
        if (helper) helpers.add(helper);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  // Calls of a table helper (`int('SHARDLINE_MAX_SHARDS', 500)`): a read per call, defaulted when a fallback is given.
  const visitCalls = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && helpers.has(node.expression.text)) {
      const [name, fallback] = node.arguments;
      if (name && ts.isStringLiteralLike(name)) {
        reads.push({ name: name.text, at: at(node), defaulted: fallback !== undefined });
        accounted.add(name);
      }
    }
    ts.forEachChild(node, visitCalls);
  };
  visitCalls(source);
  const unrecognized: EnvScan['unrecognized'] = [];
  const visitStrings = (node: ts.Node): void => {
    if (ts.isStringLiteralLike(node) && SHARDLINE_NAME.test(node.text) && !accounted.has(node)) unrecognized.push({ name: node.text, at: at(node) });
    ts.forEachChild(node, visitStrings);
  };
  visitStrings(source);
  return { reads, unrecognized };
}

/** `process.env`, or a variable or parameter named `env`. */
function isEnv(node: ts.Expression): boolean {
  if (ts.isIdentifier(node)) return node.text === 'env';
  return ts.isPropertyAccessExpression(node) && node.name.text === 'env' && ts.isIdentifier(node.expression) && node.expression.text === 'process';
}

const FALLBACKS = [ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken];
const COMPARISONS = [
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
];

function isDefaulted(read: ts.Expression): boolean {
  return isGuarded(read) || handlesUnset(read);
}

/** The value is tested or given a fallback where it is read (`a ?? b ?? env.X` takes the outer fallback). */
function handlesUnset(expression: ts.Expression): boolean {
  let node: ts.Node = expression;
  while (ts.isParenthesizedExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  if (ts.isBinaryExpression(parent)) {
    const op = parent.operatorToken.kind;
    if (COMPARISONS.includes(op)) return true;
    if (parent.left === node) return FALLBACKS.includes(op) || op === ts.SyntaxKind.AmpersandAmpersandToken;
    return FALLBACKS.includes(op) && handlesUnset(parent);
  }
  if (ts.isConditionalExpression(parent)) return parent.condition === node;
  if (ts.isIfStatement(parent)) return parent.expression === node;
  return ts.isPrefixUnaryExpression(parent) && parent.operator === ts.SyntaxKind.ExclamationToken;
}

/** The read sits in the branch taken only when the same variable is set (`env.X ? Number(env.X) : {}`, `env.X && f(env.X)`). */
function isGuarded(read: ts.Expression): boolean {
  const text = read.getText();
  for (let n: ts.Node = read; n.parent; n = n.parent) {
    const p = n.parent;
    if (ts.isConditionalExpression(p) && p.whenTrue === n && p.condition.getText() === text) return true;
    if (ts.isIfStatement(p) && p.thenStatement === n && p.expression.getText() === text) return true;
    if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken && p.right === n && p.left.getText() === text) return true;
  }
  return false;
}

/** The name of the function around a node when it is declared or assigned to a name (`const int = (name) => ...`). */
function enclosingFunctionName(node: ts.Node): string | undefined {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (ts.isFunctionDeclaration(n)) return n.name?.text;
    if (ts.isArrowFunction(n) || ts.isFunctionExpression(n)) {
      return ts.isVariableDeclaration(n.parent) && ts.isIdentifier(n.parent.name) ? n.parent.name.text : undefined;
    }
  }
  return undefined;
}
