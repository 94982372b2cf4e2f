"""Training: the run's config (`config`), checkpoints of the weights a run owns (`checkpoint`), and the loop on
HF accelerate with exact resume (`loop`)."""
from .config import *
from .checkpoint import *
from .loop import *
