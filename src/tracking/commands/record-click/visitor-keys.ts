import { Inject, Injectable } from '@nestjs/common';
import { createHmac, hkdfSync } from 'node:crypto';
import type { AppConfig } from '../../../../libs/config/config.js';
import { CONFIG } from '../../../core/tokens.js';

/**
 * A visitor of one partner's links at one company, as a key: HMAC-SHA256 of the company, the partner, the IP
 * address and the user agent, with a secret derived from ENCRYPTION_KEY. The IP address and user agent are
 * never stored, and keys of different partners or companies cannot be linked to each other.
 */
@Injectable()
export class VisitorKeys {
  private readonly secret: Buffer;

  constructor(@Inject(CONFIG) config: AppConfig) {
    this.secret = Buffer.from(hkdfSync('sha256', config.encryptionKey, Buffer.alloc(0), 'partnerflow visitor key v1', 32));
  }

  of(companyId: string, partnerId: string, ip: string, userAgent: string): string {
    return createHmac('sha256', this.secret).update(`${companyId}\n${partnerId}\n${ip}\n${userAgent}`).digest('hex').slice(0, 32);
  }
}
