import type { Adapter, AdapterPayload } from 'oidc-provider';
import Provider from 'oidc-provider';
import type { CredentialRepository } from '../contracts.js';

/**
 * oidc-provider looks OAuth clients up by id through the `Client` adapter: machine
 * credentials come from the CredentialRepository, so a deleted credential stops
 * authenticating at once. Clients are never written through this adapter.
 */
export class CredentialClientAdapter implements Adapter {
  readonly #credentials: CredentialRepository;

  constructor(credentials: CredentialRepository) {
    this.#credentials = credentials;
  }

  async find(clientId: string): Promise<AdapterPayload | undefined> {
    const credential = await this.#credentials.get(clientId);
    if (!credential) return undefined;
    const secret = await this.#credentials.secretOf(clientId);
    if (!secret) return undefined;
    // Accept the secret in the Authorization header or in the body, as the caller sends it
    // (oidc-provider insists on the registered method, so register the one in use).
    const basic = Provider.ctx?.get('authorization').toLowerCase().startsWith('basic ') ?? false;
    return {
      client_id: clientId,
      client_secret: secret,
      client_name: credential.name,
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: basic ? 'client_secret_basic' : 'client_secret_post',
    };
  }

  async upsert(): Promise<void> {}
  async findByUserCode(): Promise<undefined> {
    return undefined;
  }
  async findByUid(): Promise<undefined> {
    return undefined;
  }
  async consume(): Promise<void> {}
  async destroy(): Promise<void> {}
  async revokeByGrantId(): Promise<void> {}
}
