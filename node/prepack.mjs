// `npm pack` runs this first: it builds the extension with the repository's
// Makefile and copies it, with the LICENSE, into this folder, so that the
// tarball carries the native module.  The version must be the repository's.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const suffix = { darwin: 'dylib', win32: 'dll' }[process.platform] || 'so';
const version = fs.readFileSync(path.join(root, 'VERSION'), 'utf8').trim();
const packageVersion = JSON.parse(fs.readFileSync(path.join(here, 'package.json'), 'utf8')).version;
if (packageVersion !== version) {
  console.error(`dynenum: node/package.json has version ${packageVersion}, the repository's VERSION is ${version}`);
  process.exit(1);
}
// The module is for this platform only: package.json's os and cpu must say
// so, or npm would install the package where it cannot load.
const { os = [], cpu = [] } = JSON.parse(fs.readFileSync(path.join(here, 'package.json'), 'utf8'));
if (os.join() !== process.platform || cpu.join() !== process.arch) {
  console.error(`dynenum: node/package.json has os ${JSON.stringify(os)} and cpu ${JSON.stringify(cpu)};`
    + ` packing here makes a module for ["${process.platform}"] and ["${process.arch}"]: set those`);
  process.exit(1);
}
execFileSync(process.env.MAKE || 'make', ['--no-print-directory', '-C', root, `build/dynenum.${suffix}`],
  { stdio: 'inherit' });
fs.copyFileSync(path.join(root, 'build', `dynenum.${suffix}`), path.join(here, `dynenum.${suffix}`));
fs.copyFileSync(path.join(root, 'LICENSE'), path.join(here, 'LICENSE'));
