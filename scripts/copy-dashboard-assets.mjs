#!/usr/bin/env node
/**
 * `npm run build`, after tsc: copies the dashboard's static assets (plain ES modules, CSS, HTML;
 * no bundling) from src/dashboard/assets to dist/dashboard/assets, where the built server reads them.
 */
import { cpSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'dist', 'dashboard', 'assets');
mkdirSync(target, { recursive: true });
cpSync(join(root, 'src', 'dashboard', 'assets'), target, { recursive: true });
