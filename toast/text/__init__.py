"""Language: TOAST on transformers decoder LMs (`TopDownLM`, wrapped in place), its methods and adapter
registration (`build_model` on a decoder LM), saving and loading the top-down module, and generation with
one KV cache per pass (`toast.text.generate`, loaded on first use so that `import toast` does not load transformers)."""
from .lm import TopDownLM, tiny_lm, init_feedback, build_lm, save_topdown, load_topdown

_GENERATE = ('TwoPassCache', 'generate_text', 'generate_steered', 'generation_speed', 'load_smollm2', 'smollm2_path', 'PRESETS')

def __getattr__(name):
    if name in _GENERATE:
        from . import generate
        return getattr(generate, name)
    raise AttributeError(f"module 'toast.text' has no attribute '{name}'")
from . import data, evaluate  # text data and offline evaluation (they load transformers and datasets only when called)
