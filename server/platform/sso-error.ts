import { DomainError } from "../domain/errors.js";

/** A refused single sign-on (400): bad state, nonce or code, unverified email, deactivated account… */
export class SsoError extends DomainError {
  constructor(
    message: string,
    readonly reason: string,
  ) {
    super(message, 400, "sso_refused");
  }
}
