/** Files shipped beside the code (capability-statement.json, mappings/, profiles/), found from the
 * project root whether the code runs from src/ (tsx) or from dist/src/ (compiled). */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'capability-statement.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('capability-statement.json not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
  return dir;
}

export const PROJECT_ROOT = findRoot();
export const projectFile = (...parts: string[]) => join(PROJECT_ROOT, ...parts);
