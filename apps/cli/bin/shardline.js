#!/usr/bin/env node
// The `shardline` CLI from the repository, without a build step: @swc-node/register compiles
// the TypeScript on load, with the repository's tsconfig (path aliases) wherever it is run from.
const { join } = require('node:path');

process.env.SWC_NODE_PROJECT = process.env.SWC_NODE_PROJECT || join(__dirname, '..', '..', '..', 'tsconfig.json');
require('@swc-node/register');
require('../src/main.ts');
