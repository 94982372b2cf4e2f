"""The method itself, shared by every model family: feature selection, the feedback path, value injection,
the variational loss and the `TopDownModel` contract. Imports torch only."""
from .selection import FeatureSelection
from .feedback import FeedbackPath
from .model import TopDownModel, TopDownOutput, add_value_hooks, inject, record_blocks, eval_mode
from .variational import variational_loss, pretune_loss, pretune_step
