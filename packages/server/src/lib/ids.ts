import { v7 } from 'uuid';

/** Time-ordered UUIDv7: sortable by creation, index-friendly, portable as text. */
export function newId(): string {
  return v7();
}
