/** Bumped on any incompatible change to the wire contract. Clients refuse a server that does not speak it. */
export const PROTOCOL_VERSION = 1;

/** All REST endpoints live under this prefix; the WebSocket stream is `${API_PREFIX}/stream`. */
export const API_PREFIX = '/api/v1';

/** Sent with every WebSocket upgrade (`Sec-WebSocket-Protocol`) so an incompatible server refuses early. */
export const STREAM_SUBPROTOCOL = 'signoff.v1';

/** Long-poll waits are capped below common proxy idle timeouts. */
export const MAX_LONG_POLL_SECONDS = 25;

/** Largest JSON body the server accepts on any endpoint. */
export const MAX_BODY_BYTES = 64 * 1024;

/** Largest WebSocket frame either side must accept. */
export const MAX_FRAME_BYTES = 64 * 1024;
