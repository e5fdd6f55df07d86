"""The editors' bearer token: constant-time check, 401 when wrong, 403 when none is set."""

from __future__ import annotations

import hmac

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

# auto_error=False: the messages below are clearer than FastAPI's generic ones.
bearer = HTTPBearer(auto_error=False, description="AVATAR_ADMIN_TOKEN")


def require_admin(
    request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(bearer)
) -> None:
    """FastAPI dependency for editor endpoints."""
    secret = request.app.state.avatar.settings.admin_token
    expected = secret.get_secret_value() if secret is not None else ""
    if not expected:
        # Without a configured token the editor endpoints stay closed, never open.
        raise HTTPException(403, "admin token not configured (set AVATAR_ADMIN_TOKEN)")
    given = credentials.credentials if credentials is not None else ""
    if not given or not hmac.compare_digest(given.encode(), expected.encode()):
        raise HTTPException(401, "missing or wrong admin token (Authorization: Bearer ...)",
                            headers={"WWW-Authenticate": "Bearer"})
