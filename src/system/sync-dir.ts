// Makes a rename or a new file in a directory durable: fsync of the directory
// itself. Some file systems refuse it; the rename is still atomic there.
import { closeSync, fsyncSync, openSync } from 'node:fs';

export function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Not supported on this file system: nothing more to do.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
