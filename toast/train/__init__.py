"""Training, written once for every task: where files go and how they are written (`files`), the config system
(`config`), checkpoints (`checkpoint`), optimizer and schedule (`optim`), the `Task` interface (`task`), resume
state (`state`) and the engine on HF accelerate with exact resume (`loop`). No module here names a model family:
each family registers its task."""
from .files import data_dir, atomic_write, write_json
from .config import *
from .checkpoint import *
from .optim import *
from .task import *
from .state import *
from .order import *
from .loop import *
