#!/usr/bin/env node
// The `wardflow` command. The sources are TypeScript; tsx compiles them on load (cached), so the
// repository runs as cloned, with no build step between `npm ci` and the first command.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/wardflow.ts');
process.exitCode = await main(process.argv.slice(2));
