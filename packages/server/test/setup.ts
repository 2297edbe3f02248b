import { afterAll } from 'vitest';
import { removeTestDataDirs } from './db.js';

// Registered before the file's own hooks, so it runs after them: every app of the file is closed by then.
afterAll(removeTestDataDirs);
