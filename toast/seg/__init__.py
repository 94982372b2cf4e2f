"""Segmentation: the run's settings (`config`), a UperNet decoder on timm ViT features steered by TOAST (`model`), data loaders for ADE20K, VOC, Cityscapes and the mini world (`data`), the loss, mIoU and inference (`metrics`), the task of the shared engine (`train`: `SegTask`, `run_seg`), and the mini-world demo (`demo`).

`config` and `train` (which registers the task `seg` with the engine, `toast.train.task`) are imported at once and
are cheap; `demo` loads on first use."""
import importlib
from .config import SegConfig, IGNORE_INDEX, check_stride
from . import train as _train  # registers SegTask: `task: seg` runs on toast.train.loop

_NAMES = {
    'model': ('Segmenter', 'UperNetDecoder', 'build_segmenter', 'register_seg_method', 'SEG_METHODS', 'feature_blocks',
              'seg_parameter_counts', 'seg_parameter_table'),
    'data': ('SegData', 'load_seg_data', 'register_seg_data', 'SEG_DATA', 'SegTrainTransform', 'SegEvalTransform'),
    'metrics': ('ConfusionMatrix', 'seg_loss', 'predict', 'evaluate_seg'),
    'train': ('SegTask', 'SEG', 'run_seg', 'seg_step_seconds'),
    'demo': ('run_seg_demo', 'seg_demo_cmd', 'SEG_DEMO_METHODS'),
}
_WHERE = {name: mod for mod, names in _NAMES.items() for name in names}
__all__ = ['SegConfig', 'IGNORE_INDEX', 'check_stride', *_WHERE]

def __getattr__(name):
    if name in _WHERE: return getattr(importlib.import_module(f'{__name__}.{_WHERE[name]}'), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

def __dir__(): return sorted(set(globals()) | set(_WHERE) | set(_NAMES))
