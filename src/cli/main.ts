#!/usr/bin/env node
/** The `submeter` command. Each sub-command lives in its own file and registers itself here. */
import { Command } from 'commander';
import { analyzeCommand } from './analyze.js';
import { certsCommand } from './certs.js';
import { ctlCommand } from './ctl/ctl-command.js';
import { mapCommand } from './map.js';
import { readCommand } from './read.js';
import { runCli } from './run-cli.js';
import { serveCommand } from './serve.js';
import { vpairCommand } from './vpair.js';

const program = new Command();
program
  .name('submeter')
  .description('A three-phase DIN-rail smart sub-meter emulator, served over Modbus TCP and RTU')
  .version('0.1.0');

program.addCommand(serveCommand());
program.addCommand(readCommand());
program.addCommand(analyzeCommand());
program.addCommand(mapCommand());
program.addCommand(vpairCommand());
program.addCommand(ctlCommand());
program.addCommand(certsCommand());

// A sub-command may set process.exitCode itself (and print its own error); keep it then.
const code = await runCli(program, process.argv);
if (code !== 0) process.exitCode = code;
