"""GET /v1/models and /v1/persona: what the chat page needs to draw itself."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from api.schemas import ModelOut, ModelsOut, PersonaOut
from api.state import AppState, app_state

router = APIRouter(prefix="/v1", tags=["meta"])


@router.get("/models", response_model=ModelsOut)
def models(state: AppState = Depends(app_state)) -> ModelsOut:
    """The models readers may pick, the default marked."""
    infos = state.registry.available()
    return ModelsOut(
        default=state.registry.default,
        models=[ModelOut(name=m.name, label=m.label, provider=m.provider, default=m.default,
                         demo=m.demo) for m in infos],
        # OpenAI clients list models from `data`: the compatible endpoint accepts these names.
        data=[{"id": m.name, "object": "model", "owned_by": m.provider} for m in infos],
    )


@router.get("/persona", response_model=PersonaOut)
def persona(state: AppState = Depends(app_state)) -> PersonaOut:
    """Who the avatar speaks for: name, bio, invitation, site and sign-off."""
    p = state.persona
    return PersonaOut(name=p.name, bio=p.bio, invitation=p.invitation, site_url=p.site_url,
                      sign_off=p.sign_off)
