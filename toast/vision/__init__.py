"""Vision: the timm ViT adapter, the mini world (its canvases and the `vit_mini_patch5_40` model registered
with timm) and attention visualisation."""
from .anatomy import value_projection, vit_blocks
from .vit import TopDownViT, create_backbone
from . import mini  # registers `vit_mini_patch5_40` with timm
