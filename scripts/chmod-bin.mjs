// npm links the bin before `prepare` builds it; make sure the built entry is executable.
import { chmodSync } from 'node:fs';
chmodSync(new URL('../dist/cli/main.js', import.meta.url), 0o755);
