// Where each client of a benchmark crowd goes: which node (stream URL) and whose token. bench:cluster
// reads per-node memory and delivery from this placement, so it is one rule in one place.

/** Client `index` of a crowd over `urls` nodes and `tokens` owners: its url and token indexes. */
export function placeClient(index: number, urls: number, tokens: number): { url: number; token: number } {
  // Round-robin over the nodes keeps the split even. The token follows index / urls, not index: with
  // 2 nodes and an even number of tokens, index % tokens would put each owner on one node only.
  return { url: index % urls, token: Math.floor(index / urls) % tokens };
}

/** Per url: the values of its clients (in index order, as placeClient placed them) that `keep` accepts. */
export function perUrl<T>(values: ArrayLike<T>, urls: number, keep: (value: T) => boolean): T[][] {
  return Array.from({ length: urls }, (_, url) => {
    const kept: T[] = [];
    for (let i = url; i < values.length; i += urls) if (keep(values[i]!)) kept.push(values[i]!);
    return kept;
  });
}
