import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { hashApiKey, safeEqual } from '../../../../libs/crypto/secrets.js';
import { OPERATOR_KEY, type Principal } from '../../../../libs/http/auth.js';
import { DomainError } from '../../../../libs/http/domain-error.js';
import { CompaniesQuery } from '../../../companies/index.js';
import { SessionStore } from '../../session-store.js';
import type { SessionResponse } from '../../session.response.js';

export class SignIn {
  constructor(
    readonly credentials: { apiKey: string } | { loginToken: string },
    readonly now: Date,
  ) {}
}

export interface SignedIn {
  session: SessionResponse;
  token: string;
  expiresAt: Date;
}

type CompanyPrincipal = Exclude<Principal, { role: 'operator' }>;

/** Opens a session for the holder of an API key or of an unused login link; the session keeps the key's hash. */
@CommandHandler(SignIn)
export class SignInHandler implements ICommandHandler<SignIn, SignedIn> {
  constructor(
    private readonly companies: CompaniesQuery,
    private readonly store: SessionStore,
    @Inject(OPERATOR_KEY) private readonly operatorKey: string,
  ) {}

  async execute(cmd: SignIn): Promise<SignedIn> {
    const { keyHash, principal } =
      'apiKey' in cmd.credentials ? await this.byApiKey(cmd.credentials.apiKey) : await this.byLoginToken(cmd.credentials.loginToken);
    const { token, expiresAt } = await this.store.open(keyHash, principal.companyId, cmd.now);
    const session: SessionResponse =
      principal.role === 'partner'
        ? { role: 'partner', companyId: principal.companyId, partnerId: principal.partnerId }
        : { role: 'admin', companyId: principal.companyId };
    return { session, token, expiresAt };
  }

  private async byApiKey(apiKey: string): Promise<{ keyHash: string; principal: CompanyPrincipal }> {
    if (safeEqual(apiKey, this.operatorKey)) {
      throw new DomainError(
        403,
        'operator_key_not_for_console',
        'The operator key works with the API (Authorization: Bearer); the console signs in company admins and partners',
      );
    }
    const keyHash = hashApiKey(apiKey);
    const principal = await this.companies.byHash(keyHash);
    if (!principal)
      throw new DomainError(401, 'unauthorized', 'This API key is not valid', { errors: [{ field: 'apiKey', message: 'This API key is not valid' }] });
    return { keyHash, principal };
  }

  private async byLoginToken(loginToken: string): Promise<{ keyHash: string; principal: CompanyPrincipal }> {
    const link = await this.store.redeemLoginLink(loginToken);
    if (!link)
      throw new DomainError(401, 'invalid_login_link', 'This sign-in link is not valid: it expired, was already used, or was mistyped. Ask for a new one.');
    for (const keyHash of await this.companies.partnerKeyHashes(link.companyId, link.partnerId)) {
      const principal = await this.companies.byHash(keyHash);
      if (principal?.role === 'partner' && principal.partnerId === link.partnerId) return { keyHash, principal };
    }
    throw new DomainError(401, 'partner_without_access', 'This partner has no portal access');
  }
}
