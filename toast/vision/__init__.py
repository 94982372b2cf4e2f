"""Vision: the timm ViT adapter (with TOAST-Early/Late), the ConvNet adapter, the mini world (its canvases and the `vit_mini_patch5_40` model registered
with timm) and attention visualisation (capture, figures, explorer)."""
from .anatomy import value_projection, vit_blocks
from .vit import TopDownViT, create_backbone  # registers the 'vit' adapter: build_model hands it the timm models no other family claims
from .early_late import TopDownViTEarly, TopDownViTLate, load_pretuned, flops_per_image, variant_options  # TOAST-Early / TOAST-Late (registered with TopDownViT.from_timm)
from . import mini  # registers `vit_mini_patch5_40` with timm
from .convnet import TopDownConvNet  # registers the 'convnet' adapter: build_model hands timm ConvNets to TopDownConvNet
