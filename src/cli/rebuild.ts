import 'reflect-metadata';
import { rebuildCli } from './replay/rebuild-cli.js';

process.exit(await rebuildCli(process.argv.slice(2), process.env, process.stderr));
