"""Alias kept for code written against the flat layout: `toast.vit.TopDownViT` is `toast.vision.vit.TopDownViT`."""
from .vision.vit import *  # noqa: F401,F403
from .vision.vit import TopDownViT, create_backbone  # noqa: F401
