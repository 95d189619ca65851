"""Models users build by talking: a validated spec (``spec``) and the plain-language parser (``parse``)."""

from core.user_models.parse import (
    Create,
    Delete,
    ExistingModel,
    NotUnderstood,
    Pause,
    Request,
    Resume,
    Update,
    parse_request,
)
from core.user_models.spec import MAX_MODELS_PER_USER, ModelSpec, Source, default_name

__all__ = [
    "MAX_MODELS_PER_USER",
    "Create",
    "Delete",
    "ExistingModel",
    "ModelSpec",
    "NotUnderstood",
    "Pause",
    "Request",
    "Resume",
    "Source",
    "Update",
    "default_name",
    "parse_request",
]
