import { type ArgumentsHost, Catch, type ExceptionFilter, Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { FastifyReply } from 'fastify';
import { BearerTokenError } from './bearer-token.error.js';
import { BearerChallenge } from './bearer-challenge.js';

/** Renders {@link BearerTokenError} with the RFC 6750 challenge (used by `@S2sProtected()`). */
@Injectable()
@Catch(BearerTokenError)
export class BearerTokenFilter implements ExceptionFilter {
  constructor(private readonly moduleRef: ModuleRef) {}

  catch(error: BearerTokenError, host: ArgumentsHost): void {
    this.moduleRef.get(BearerChallenge, { strict: false }).send(host.switchToHttp().getResponse<FastifyReply>(), error);
  }
}
