import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The layer table lives in eslint.config.js (lint enforces it file by file); this test checks the whole tree at once.
const root = fileURLToPath(new URL('..', import.meta.url));
const { allowedWorkspaceImports, workspaceFolders } = (await import(new URL('../eslint.config.js', import.meta.url).href)) as {
  allowedWorkspaceImports: Record<string, string[]>;
  workspaceFolders: Record<string, string>;
};

type Graph = Map<string, Set<string>>;

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name === 'generated' || entry.name === 'dist') return [];
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|js|mjs)$/.test(entry.name) ? [path] : [];
  });
}

/** Every `@app/<package>` a file imports or re-exports, statically or dynamically. */
function workspaceImportsOf(source: string): string[] {
  return [...source.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)'(@app\/[a-z-]+)(?:\/[^']*)?'/g)].map((match) => match[1]!);
}

/** One cycle of the graph (its packages in order), or null. */
function findCycle(graph: Graph): string[] | null {
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (node: string): string[] | null => {
    if (state.get(node) === 'done') return null;
    if (state.get(node) === 'visiting') return [...path.slice(path.indexOf(node)), node];
    state.set(node, 'visiting');
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(node, 'done');
    return null;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return null;
}

const workspaces = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { workspaces: string[] }).workspaces
  .flatMap((pattern) =>
    pattern.endsWith('/*') ? readdirSync(join(root, pattern.slice(0, -2))).map((name) => `${pattern.slice(0, -2)}/${name}`) : [pattern],
  )
  .map((folder) => ({ folder, name: (JSON.parse(readFileSync(join(root, folder, 'package.json'), 'utf8')) as { name: string }).name }));

const graph: Graph = new Map();
const violations: string[] = [];
for (const [name, folder] of Object.entries(workspaceFolders)) {
  const imports = new Set<string>();
  for (const file of sourceFiles(join(root, folder))) {
    for (const imported of workspaceImportsOf(readFileSync(file, 'utf8'))) {
      if (imported === name) continue;
      imports.add(imported);
      if (!allowedWorkspaceImports[name]!.includes(imported)) violations.push(`${relative(root, file)} imports ${imported}`);
    }
  }
  graph.set(name, imports);
}

describe('package layers', () => {
  it('knows every workspace package, so a new one has to be given its place', () => {
    const unplaced = workspaces.filter(({ folder, name }) => folder !== 'console-angular' && workspaceFolders[name] !== folder);
    expect(unplaced).toEqual([]);
  });

  it('imports only along the layers: no service imports another, db and domain import nothing above them', () => {
    expect(violations).toEqual([]);
  });

  it('has no cycle between packages', () => {
    expect(findCycle(graph)).toBeNull();
  });

  it('finds a cycle when there is one', () => {
    const cyclic: Graph = new Map([
      ['@app/runtime', new Set(['@app/db'])],
      ['@app/db', new Set(['@app/domain', '@app/runtime'])],
      ['@app/domain', new Set()],
    ]);
    expect(findCycle(cyclic)).toEqual(['@app/runtime', '@app/db', '@app/runtime']);
    expect(workspaceImportsOf("import { a } from '@app/db/testing';\nexport * from '@app/domain';\nawait import('@app/runtime/local');")).toEqual([
      '@app/db',
      '@app/domain',
      '@app/runtime',
    ]);
  });
});
