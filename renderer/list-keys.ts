// The keys that move through a list (the queue, Done, My claims), in one place so every list answers
// to the same ones: ↑/↓ and j/k by one, Home/End to the ends.

/** How far `key` moves the selection in a list of `size` rows, or null when it is not a move key. */
export function listStep(key: string, size: number): number | null {
  switch (key) {
    case 'ArrowDown':
    case 'j':
      return 1;
    case 'ArrowUp':
    case 'k':
      return -1;
    case 'Home':
      return -size;
    case 'End':
      return size;
    default:
      return null;
  }
}
