"""Language: TOAST on transformers decoder LMs (`TopDownLM`, wrapped in place), the run config (`TuneConfig`,
`task: lm`), its methods and adapter registration (`build_model` on a decoder LM), saving and loading the
top-down module, the task that trains them on the shared engine (`LMTask`, registered as 'lm'), and generation
with one KV cache per pass (`toast.text.generate`, loaded on first use so that `import toast` does not load
transformers)."""
from .config import TuneConfig  # registers the 'lm' task config
from .lm import TopDownLM, tiny_lm, init_feedback, save_topdown, load_topdown
from .build import build_lm  # registers the 'lm' adapter and the 'toast-full' method
from .task import LMTask, LM_TASK  # registers the 'lm' task: language-model runs train on the shared engine (toast.train.loop)

_GENERATE = ('TwoPassCache', 'generate_text', 'generate_steered', 'generation_speed', 'load_smollm2', 'smollm2_path', 'PRESETS')

def __getattr__(name):
    if name in _GENERATE:
        from . import generate
        return getattr(generate, name)
    raise AttributeError(f"module 'toast.text' has no attribute '{name}'")
from . import tasks, data, evaluate  # generated tasks, text data and offline evaluation (transformers and datasets load only when called)
