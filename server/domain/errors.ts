/** Errors every verb may throw; routes and socket handlers map them to 4xx answers. */
export class DomainError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
  ) {
    super(message);
  }
}

export class NotFoundError extends DomainError {
  constructor(what = "That page") {
    super(`${what} was not found.`, 404, "not_found");
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = "You are not allowed to do that.") {
    super(message, 403, "forbidden");
  }
}

export type FieldErrors = Record<string, string[] | undefined>;

export class ValidationError extends DomainError {
  constructor(
    readonly fieldErrors: FieldErrors,
    message = "Please correct the highlighted fields.",
  ) {
    super(message, 422, "invalid");
  }
}

export class RateLimitedError extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many attempts. Try again in ${Math.ceil(retryAfterSeconds / 60)} minute(s).`, 429, "rate_limited");
  }
}

export class UnauthenticatedError extends DomainError {
  constructor(message = "Please sign in.") {
    super(message, 401, "unauthenticated");
  }
}

/** A set-password link that is unknown, used, expired, or whose person is deactivated: one clear page, 410. */
export class InvalidLinkError extends DomainError {
  constructor() {
    super("This link cannot be used: it has already been used, it has expired, or it was replaced. Ask for a new one.", 410, "link_invalid");
  }
}
