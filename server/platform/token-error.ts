import { DomainError } from "../domain/errors.js";

/** 401 with a reason an API client can act on (missing, unknown, expired or revoked token). */
export class TokenError extends DomainError {
  constructor(code: "unauthenticated" | "token_invalid" | "token_expired" | "token_revoked", message: string) {
    super(message, 401, code);
  }
}
