// The proxy setting's choices, zod-free so the window can list them with the same words the schema
// validates (`system`: the OS settings, PAC file or *_PROXY variables; `none`: direct; `manual`: one URL).
export const PROXY_MODES = ['system', 'none', 'manual'] as const;
export type ProxyMode = (typeof PROXY_MODES)[number];
