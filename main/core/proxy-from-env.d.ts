// proxy-from-env 2 ships no type declarations; this is its whole public API.
declare module 'proxy-from-env' {
  /** The proxy URL for `url` from *_PROXY / ALL_PROXY, or '' when none applies (NO_PROXY included). */
  export function getProxyForUrl(url: string | URL): string;
}
