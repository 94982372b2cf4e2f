"""TOAST: top-down attention steering for transfer learning.

`import toast` registers every built-in method (`toast.methods.METHODS`), data source
(`toast.vision.data.DATA_SOURCES`) and the mini ViT with timm. Layout, with a one-way dependency rule
(each line imports only from the lines above it):

- `toast.core`: selection, feedback path, value injection, variational loss, the `TopDownModel` contract
- `toast.methods`: which parameters each method trains; `build_model` and the registry of model-family adapters
- `toast.vision`: the timm ViT adapter (with TOAST-Early/Late), the timm ConvNet adapter, offline pretrained ConvNets,
  the mini world, attention visualisation
- `toast.vision.baselines`: the baselines (linear probe, fine-tuning, LoRA, VPT, BitFit)
- `toast.vision.data`, `toast.vision.sources`, `toast.vision.fgvc_vtab`: the data registry and image folders; HF datasets and the mini suite;
  FGVC, VTAB-1k
- `toast.train`: config, checkpoints, the loop; `toast.train.cache`: the pass-1 feature cache
- `toast.experiments`, `toast.vision.demo`, `toast.vision.recipe`: paper protocols, the mini-suite demo and recipe
- `toast.text`: TOAST on transformers decoder LMs (SmolLM2 offline), text data, evaluation, tuning, the instruction demo
- `toast.seg`: semantic segmentation (UperNet on steered ViT features), its data, training, mIoU and the mini demo
  (imported on first use: `import toast.seg`)
- `toast.cli`: the `toast` command (also `python -m toast`)
"""
__version__ = "0.1.0"

from .core import FeatureSelection, FeedbackPath, TopDownModel, TopDownOutput, variational_loss
from .vision import TopDownViT, TopDownConvNet, create_backbone
from .methods import METHODS, build_model, set_trainable, count_parameters
from .vision import baselines  # registers linear, finetune, lora, vpt, bitfit
from . import text  # registers the 'lm' adapter (decoder LMs) and 'toast-full'; transformers loads on first use
from .vision.data import DATA_SOURCES, load_data
from .vision import sources  # registers the hf: and mini: data sources
from .vision import fgvc_vtab  # registers the fgvc: and vtab: data sources
from .train import TrainConfig, run, fit, save_checkpoint, load_checkpoint, load_init
from .train import RunConfig, load_config, Task, register_task, get_task
from .vision import classify  # registers the 'classify' task (image classification: ViTs, ConvNets, TOAST-Early/Late)
from . import seg  # registers the 'seg' task (toast.seg.train.SegTask); toast.seg.demo loads on first use
