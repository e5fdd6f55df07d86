"""The editors' bearer token: constant-time check, 401 when wrong, 403 when none is set."""

from __future__ import annotations

import hmac
import math

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.limits import RateLimiter, client_key

# auto_error=False: the messages below are clearer than FastAPI's generic ones.
bearer = HTTPBearer(auto_error=False, description="AVATAR_ADMIN_TOKEN")
# Wrong tokens a client may send per minute before it must wait: enough for typos, far
# too few to guess a token.
FAILED_TOKENS_PER_MINUTE = 10


def require_admin(
    request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(bearer)
) -> None:
    """FastAPI dependency for editor endpoints."""
    state = request.app.state.avatar
    secret = state.settings.admin_token
    expected = secret.get_secret_value() if secret is not None else ""
    if not expected:
        # Without a configured token the editor endpoints stay closed, never open.
        raise HTTPException(403, "admin token not configured (set AVATAR_ADMIN_TOKEN)")
    failures: RateLimiter = state.auth_failures
    client = client_key(request)
    wait = failures.wait_time(client)
    if wait:
        seconds = math.ceil(wait)
        raise HTTPException(429, f"too many wrong admin tokens; retry in {seconds} s",
                            headers={"Retry-After": str(seconds)})
    given = credentials.credentials if credentials is not None else ""
    if not given or not hmac.compare_digest(given.encode(), expected.encode()):
        if given:  # a wrong token is a guess; a missing one is not
            failures.check(client)
        raise HTTPException(401, "missing or wrong admin token (Authorization: Bearer ...)",
                            headers={"WWW-Authenticate": "Bearer"})
