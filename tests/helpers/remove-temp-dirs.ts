import { tmpdir } from 'node:os';
import { afterAll } from 'vitest';
import { removeTempDirs, tempDir } from './sample-index.js';

// A setup file: runs in every test file, in the worker that runs the file.

// The file's processes keep their temporary files in a folder of the file's own, which goes with its other folders.
// LanceDB makes a spill folder per connection and removes it only in Node's teardown, which a test worker and a
// killed child never reach: without this, every run of the suite left hundreds of empty folders in /tmp. The folder is
// made in the system's temporary folder, as the worker found it, not in the previous file's (removed by then).
process.env.PRIORS_TEST_SYSTEM_TMPDIR ??= tmpdir();
process.env.TMPDIR = process.env.PRIORS_TEST_SYSTEM_TMPDIR;
process.env.TMPDIR = tempDir('priors-test-tmp-');

// After the file's own afterAll hooks (which may still read their folders).
afterAll(removeTempDirs);
