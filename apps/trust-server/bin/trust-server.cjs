#!/usr/bin/env node
// Launcher of the trust server (`npm start`): sizes libuv's thread pool (see thread-pool.cjs),
// then runs the compiled server, dist/apps/trust-server/src/main.js.
//
// libuv reads UV_THREADPOOL_SIZE once, the first time the pool is used, and Node's ES module loader
// already uses the pool to read modules: so the size is set here, in a CommonJS file that runs
// before any ES module is loaded.
'use strict';
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');
const { threadPoolSize } = require('./thread-pool.cjs');

process.env.UV_THREADPOOL_SIZE = threadPoolSize(process.env);
import(pathToFileURL(join(__dirname, '..', '..', '..', 'dist', 'apps', 'trust-server', 'src', 'main.js')).href);
