#!/usr/bin/env node
// The `wardflow` command. The sources are TypeScript; tsx compiles them on load (cached), so the
// repository runs as cloned, with no build step between `npm ci` and the first command.
import { register } from 'tsx/esm/api';

register();
// `wardflow … | head` closes stdout early; that is the reader's choice, not a failure.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
const { main } = await import('../cli/wardflow.ts');
process.exitCode = await main(process.argv.slice(2));
