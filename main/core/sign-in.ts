// Signing in: check the address, make sure the server speaks our protocol, exchange the password
// for a token. Every failure becomes a SignInError whose kind the window can act on. The password
// and token never appear in an error message or a log line.
import {
  ApiClient,
  ApiError,
  type FetchLike,
  PROTOCOL_VERSION,
  ProtocolMismatchError,
  type ServerInfo,
  type SignInResponse,
  type Transport,
} from '../../protocol';
import { classifyNetworkError } from './network-errors';
import { SignInError } from './ports';
import type { ServerAddress } from './server-url';

const SIGN_IN_TIMEOUT_MS = 15_000;

export interface SignedIn {
  /** The user name as the account is keyed: trimmed, lower case. */
  username: string;
  token: string;
  session: SignInResponse;
  heartbeatSeconds: number;
  /** What `GET /info` advertised; undefined when the server predates advertising transports. */
  transports: Transport[] | undefined;
}

export async function signInToServer(
  address: ServerAddress,
  username: string,
  password: string,
  fetchImpl: FetchLike,
): Promise<SignedIn> {
  const user = username.trim().toLowerCase();
  if (user.length === 0 || password.length === 0) {
    throw new SignInError('invalid-credentials', 'Enter your user name and password.');
  }
  const api = new ApiClient({ baseUrl: address.baseUrl, fetch: fetchImpl, timeoutMs: SIGN_IN_TIMEOUT_MS });
  const { heartbeatSeconds, transports } = await askServer(address, fetchImpl);
  try {
    const session = await api.signIn(user, password);
    return { username: user, token: session.token, session, heartbeatSeconds, transports };
  } catch (error) {
    throw toSignInError(error, address);
  }
}

/** `GET /info`, checked: the server speaks our protocol. Failures are SignInErrors. */
export async function askServer(address: ServerAddress, fetchImpl: FetchLike): Promise<ServerInfo> {
  const api = new ApiClient({ baseUrl: address.baseUrl, fetch: fetchImpl, timeoutMs: SIGN_IN_TIMEOUT_MS });
  try {
    const info = await api.info();
    if (info.protocolVersion !== PROTOCOL_VERSION) {
      throw new SignInError(
        'incompatible-protocol',
        `The server speaks protocol version ${info.protocolVersion}; this app needs version ${PROTOCOL_VERSION}.`,
      );
    }
    return info;
  } catch (error) {
    throw toSignInError(error, address);
  }
}

export function toSignInError(error: unknown, address: ServerAddress): SignInError {
  if (error instanceof SignInError) return error;
  const host = new URL(address.baseUrl).host;
  if (error instanceof ApiError) {
    if (error.code === 'invalid_credentials' || (error.status === 400 && error.code === 'bad_request')) {
      return new SignInError('invalid-credentials', 'The user name or password is not correct.');
    }
    if (error.status === 429) {
      const wait = error.body.retryAfterSeconds;
      return new SignInError(
        'throttled',
        wait ? `Too many attempts; try again in ${wait} seconds.` : 'Too many attempts; try again later.',
      );
    }
    return new SignInError(
      'server-error',
      `The server could not sign you in (${error.status} ${error.code}).`,
    );
  }
  if (error instanceof ProtocolMismatchError) {
    return new SignInError('server-error', `${host} does not look like a Signoff server: ${error.message}`);
  }
  const network = classifyNetworkError(error);
  if (network?.kind === 'tls') {
    return new SignInError(
      'tls',
      `The secure connection to ${host} failed: ${network.detail}`,
      network.issuer,
    );
  }
  if (network?.kind === 'proxy-auth') {
    return new SignInError('proxy-auth', `Cannot reach ${host}: ${network.detail}.`);
  }
  if (network?.kind === 'unreachable') {
    return new SignInError('unreachable', `Cannot reach ${host} (${network.detail}).`);
  }
  return new SignInError('server-error', `Signing in to ${host} failed: ${String(error)}`);
}
