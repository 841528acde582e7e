// The slice of oidc-provider 9 the development identity provider uses (the package ships no types, and
// @types/oidc-provider would pull in Koa's whole type tree for a dev-only tool).
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface Grant {
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    addResourceScope(resource: string, scope: string): void;
    save(): Promise<string>;
  }

  export interface KoaContextWithOIDC {
    oidc: unknown;
  }

  export interface InteractionDetails {
    uid: string;
    prompt: {
      name: string;
      details: {
        missingOIDCScope?: string[];
        missingOIDCClaims?: string[];
        missingResourceScopes?: Record<string, string[]>;
      };
    };
    params: Record<string, unknown>;
    session?: { accountId: string };
    grantId?: string;
  }

  export interface Account {
    accountId: string;
    claims(): Promise<Record<string, unknown>>;
  }

  export type Configuration = Record<string, unknown> & {
    findAccount?(ctx: KoaContextWithOIDC, id: string): Promise<Account | undefined>;
    issueRefreshToken?(
      ctx: KoaContextWithOIDC,
      client: { grantTypeAllowed(type: string): boolean },
    ): Promise<boolean>;
    interactions?: { url(ctx: KoaContextWithOIDC, interaction: { uid: string }): string };
  };

  export default class Provider {
    constructor(issuer: string, configuration: Configuration);
    readonly Grant: {
      new (properties: { clientId: string; accountId: string }): Grant;
      find(id: string): Promise<Grant | undefined>;
    };
    callback(): (request: IncomingMessage, response: ServerResponse) => void;
    interactionDetails(request: IncomingMessage, response: ServerResponse): Promise<InteractionDetails>;
    interactionFinished(
      request: IncomingMessage,
      response: ServerResponse,
      result: Record<string, unknown>,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>;
  }
}
