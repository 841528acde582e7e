// Each benchmark event carries a marker with its number (in a claim's title, or in the bare server's
// message), so a client can tell which event reached it without knowing the transport's framing: the
// same search finds it in an events page, a v1 frame, a STOMP body or a plain message alike.

const PREFIX = 'pushbench#';
const MARKERS = /pushbench#(\d+)#/g;

export function eventMarker(id: number): string {
  return `${PREFIX}${id}#`;
}

/**
 * [event number, instant (ms since epoch)] for every marked event in the JSON `text`, each once. The
 * instant is the `at` of the innermost object around the marker that has one: a protocol event's `at`,
 * stamped in the transaction that commits it (ISO 8601, so whole milliseconds). NaN if none has.
 */
export function markedEvents(text: string): Array<[number, number]> {
  if (!text.includes(PREFIX)) return [];
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return [];
  }
  const found = new Map<number, number>();
  const visit = (node: unknown, at: number): void => {
    if (typeof node === 'string') {
      for (const match of node.matchAll(MARKERS)) {
        const id = Number(match[1]);
        if (!found.has(id)) found.set(id, at);
      }
    } else if (Array.isArray(node)) {
      for (const item of node) visit(item, at);
    } else if (typeof node === 'object' && node !== null) {
      const own = (node as { at?: unknown }).at;
      const here = typeof own === 'string' ? Date.parse(own) : at;
      for (const value of Object.values(node)) visit(value, here);
    }
  };
  visit(json, Number.NaN);
  return [...found];
}
