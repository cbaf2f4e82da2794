import { Foundation1763769600000 } from './1763769600000-foundation.migration.js';

/** All migrations, oldest first. Append new ones; never edit one that has shipped. */
export const MIGRATIONS = [Foundation1763769600000];
