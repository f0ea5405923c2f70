#!/usr/bin/env node
// The bin npm links: a committed file, because npm links bins at install time, before dist/ is built.
import '../dist/main.js';
