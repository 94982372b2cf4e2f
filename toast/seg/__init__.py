"""Segmentation: a UperNet decoder on timm ViT features steered by TOAST (`model`), data loaders for ADE20K, VOC, Cityscapes and the mini world (`data`), the loss, mIoU and loop (`train`), and the mini-world demo (`demo`)."""
from .model import Segmenter, UperNetDecoder, build_segmenter, register_seg_method, SEG_METHODS, feature_blocks, seg_parameter_counts, seg_parameter_table
from .train import SegConfig, ConfusionMatrix, seg_loss, predict, evaluate_seg, train_segmenter, seg_step_seconds
from .data import SegData, load_seg_data, register_seg_data, SEG_DATA, SegTrainTransform, SegEvalTransform
from .demo import run_seg_demo, seg_demo_cmd, SEG_DEMO_METHODS
