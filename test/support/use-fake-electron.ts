// Per-test setup of the adapter tests, as vitest hooks: the fake Electron back to its defaults and a
// fresh temporary folder (standing in for userData or the home folder), removed after the test.
import { afterEach, beforeEach } from 'vitest';
import { makeTempDir } from './core-fakes';
import { resetFakeElectron } from './fake-electron';

/** Returns the current test's folder; read it inside hooks and tests. */
export function useFakeElectron(folderPrefix: string): () => string {
  let folder: ReturnType<typeof makeTempDir> | null = null;
  beforeEach(() => {
    resetFakeElectron();
    folder = makeTempDir(folderPrefix);
  });
  afterEach(() => {
    folder?.remove();
    folder = null;
  });
  return () => {
    if (!folder) throw new Error('the folder is made in beforeEach: use it inside hooks and tests');
    return folder.path;
  };
}
