"""Training and inference throughput of TOAST on the model families beyond the ViT classifier, on one device, in one process.

The conventions of `throughput.py`, whose timing functions this script imports: synthetic inputs already on the device, untimed
warm-up steps, then timed steps (device-synchronised), the median step; ratios against baselines run in the same process;
FLOPs and the bytes autograd saves for backward counted on the meta device. One family per run:

- convnet: a timm ConvNet built by `toast.methods.build_model` (the 'convnet' adapter). train: linear, lora, finetune, toast,
  toast-lite (forward, cross-entropy, backward, AdamW over the trainable parameters); infer: the plain backbone and TOAST;
- seg: `toast.seg.build_segmenter`'s ViT + UperNet. train: finetune, lora, vpt, toast, toast-early (forward, `seg_loss`,
  backward, `toast.train.optim.make_optimizer`'s AdamW); infer: the fine-tune segmenter ('backbone'), toast, toast-early;
- text: a decoder LM built by `toast.text.build.build_lm`. train: finetune, lora (r = 8 on q, v), toast (ξ, B), toast-lite
  (forward, `toast.text.loss.lm_loss`, backward, AdamW); generate: greedy tokens/s of the plain LM and of the two-cache
  TOAST model (`toast.text.generate.generation_speed`: best of its repeats, interleaved).

Output: one JSON line per row (stdout and --out), then a markdown table (train rows relative to finetune, infer rows to the
plain backbone, generate rows to the plain LM).

    python benchmarks/families.py --family convnet              # GPU: convnext_tiny 224, batch 128, bf16; CPU: convnext_atto 96, batch 16
    python benchmarks/families.py --family seg                  # GPU: ViT-B/16 UperNet 512, batch 8; CPU: ViT-Tiny 128, batch 4
    python benchmarks/families.py --family text                 # SmolLM2-135M-Instruct; GPU batch 16 × 512, CPU 4 × 256
    python benchmarks/families.py --family text --tiny          # a tiny random Llama: seconds, no weights
    python benchmarks/families.py --family convnet --analyse-only --device cuda   # counts only, GPU configuration
"""
from __future__ import annotations
import argparse, contextlib, datetime, gc, json, platform, statistics, sys
from pathlib import Path
import torch
import torch.nn.functional as F
sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import timed, _storage_key  # noqa: E402  (the ViT benchmark's timing and storage-id functions)
from toast.vision.early_late import flop_counter  # torch's FLOP counter, grouped-convolution backward counted right

FAMILIES = {  # family: (train rows, infer rows, what one item is); text's other rows are generation ones
    'convnet': (('linear', 'lora', 'finetune', 'toast', 'toast-lite'), ('backbone', 'toast'), 'img'),
    'seg': (('finetune', 'lora', 'vpt', 'toast', 'toast-early'), ('backbone', 'toast', 'toast-early'), 'img'),
    'text': (('finetune', 'lora', 'toast', 'toast-lite'), (), 'token'),
}
DEFAULTS = {  # option: {family: (GPU, CPU)}
    'backbone': {'convnet': ('convnext_tiny', 'convnext_atto'), 'seg': ('vit_base_patch16_224', 'vit_tiny_patch16_224'),
                 'text': ('smollm2', 'smollm2')},
    'img_size': {'convnet': (224, 96), 'seg': (512, 128), 'text': (None, None)},
    'seq_len': {'convnet': (None, None), 'seg': (None, None), 'text': (512, 256)},
    'batch_size': {'convnet': (128, 16), 'seg': (8, 4), 'text': (16, 4)},
    'num_classes': {'convnet': (200, 200), 'seg': (150, 150), 'text': (None, None)},
    'channels': {'convnet': (None, None), 'seg': (512, 128), 'text': (None, None)},  # UperNet width (auxiliary head: half)
}
TINY = dict(layers=4, width=128, vocab=512)  # --tiny: `toast.text.lm.tiny_lm`'s shape
TINY_SEQ_LEN = 64
UNITS = {'img': 'img', 'token': 'tokens'}  # what the rate column counts
REF = {'train': 'finetune', 'infer': 'backbone', 'generate': 'plain'}

# ---------------------------------------------------------------- building, per family
def load_text_backbone(a):
    "The transformers LM the text rows wrap: tiny_lm (--tiny), SmolLM2-135M-Instruct, or on meta its shape (random weights)."
    from toast.text.lm import tiny_lm
    from toast.text.build import load_lm
    if a.tiny: return tiny_lm(**TINY)
    if torch.empty(()).device.type == 'meta': return load_lm('smollm2-135m')  # counting needs the shape only
    from toast.text.generate import load_smollm2
    try: return load_smollm2()[0]
    except FileNotFoundError as e:
        raise SystemExit(f"families.py --family text: {e} Or run `--family text --tiny` (a random tiny LM, no weights).") from e

def build(family: str, name: str, a):
    "(model, optimizer factory) for a row; 'backbone' is the plain model (convnet: the timm net; seg: the fine-tune segmenter)."
    params = lambda m: [p for p in m.parameters() if p.requires_grad]
    adamw = lambda m: (lambda: torch.optim.AdamW(params(m), lr=1e-4))
    if family == 'convnet':
        from toast.methods import build_model
        m = build_model(a.backbone, 'linear' if name == 'backbone' else name, num_classes=a.num_classes)
        return m, adamw(m)
    if family == 'seg':
        from toast.seg.model import build_segmenter
        from toast.train.optim import make_optimizer
        m = build_segmenter(a.backbone, 'finetune' if name == 'backbone' else name, a.num_classes, img_size=a.img_size,
                            channels=a.channels, aux_channels=a.channels // 2)
        return m, lambda: make_optimizer(m, 'adamw', 1e-4, 0.01)
    from toast.text.lm import init_feedback
    from toast.text.build import build_lm
    m = build_lm(load_text_backbone(a), name)
    if name == 'toast': init_feedback(m, b_std=0.01)  # B ≠ 0, as after training: td is not zero (the cost is the same)
    return m, adamw(m)

def inputs(family: str, a, device) -> dict:
    "Synthetic inputs on `device`: images and labels (per image, or per pixel for seg), or a batch of token ids."
    torch.manual_seed(0)
    b = a.batch_size
    if family == 'text':
        vocab = TINY['vocab'] if a.tiny else 49152
        ids = torch.randint(3, vocab, (b, a.seq_len), device=device)
        return {'input_ids': ids, 'attention_mask': torch.ones_like(ids), 'labels': ids}
    x = torch.randn(b, 3, a.img_size, a.img_size, device=device)
    shape = (b, a.img_size, a.img_size) if family == 'seg' else (b,)
    return {'x': x, 'y': torch.randint(0, a.num_classes, shape, device=device)}

def loss_fn(family: str, model, batch: dict) -> torch.Tensor:
    "The family's training loss: cross-entropy; `seg_loss` (main + 0.4 × auxiliary head); `lm_loss` (transformers' causal-LM loss)."
    if family == 'text':
        ids = batch['input_ids']
        if ids.device.type == 'meta':  # transformers inspects a 2-D mask's values, which meta tensors do not hold
            b, n = ids.shape           # so: lm_loss's instruct loss, with the same all-ones mask as a prepared 4-D causal one
            causal = torch.ones(n, n, dtype=torch.bool, device=ids.device).tril().expand(b, 1, n, n)
            return model(input_ids=ids, attention_mask=causal, position_ids=torch.arange(n, device=ids.device).expand(b, n),
                         labels=batch['labels']).loss
        from toast.text.loss import lm_loss
        return lm_loss(model, batch)[0]
    if family == 'convnet': return F.cross_entropy(model(batch['x']).float(), batch['y'])
    logits, aux = model.forward_all(batch['x'])
    if batch['x'].device.type == 'meta':  # seg_loss first checks that some pixel is labelled, a value meta tensors do not hold
        return F.cross_entropy(logits.float(), batch['y']) + 0.4 * F.cross_entropy(aux.float(), batch['y'])
    from toast.seg.metrics import seg_loss
    return seg_loss(logits, aux, batch['y'])

def step_fn(family: str, kind: str, model, batch: dict, amp, opt=None):
    "One training step (forward, loss, backward, optimizer step when given) or one inference forward."
    if kind == 'infer':
        def step():
            with torch.inference_mode(), amp: model(batch['x'])
        return step
    def step():
        with amp: loss = loss_fn(family, model, batch)
        loss.backward()
        if opt is not None: opt.step(); opt.zero_grad(set_to_none=True)
    return step

# ---------------------------------------------------------------- measuring and counting
def items(family: str, batch: dict) -> int:
    "What the rates count in a batch: images, or tokens (batch × sequence)."
    return batch['input_ids'].numel() if family == 'text' else batch['x'].shape[0]

def trainable(model) -> int:
    "Parameters with requires_grad."
    return sum(p.numel() for p in model.parameters() if p.requires_grad)

def measure(family: str, kind: str, name: str, a, device, batch: dict) -> dict:
    "Median seconds per step on `device` (and the peak memory there, CUDA only) of one train or infer row."
    torch.manual_seed(0)
    model, make_opt = build(family, name, a)
    model.to(device).train(kind == 'train')
    if device.type == 'cuda': gc.collect(); torch.cuda.empty_cache(); torch.cuda.reset_peak_memory_stats(device)
    amp = torch.autocast(device.type, dtype=torch.bfloat16, enabled=a.dtype == 'bf16')
    times = timed(step_fn(family, kind, model, batch, amp, make_opt() if kind == 'train' else None), a.steps, a.warmup, device)
    sec = statistics.median(times)
    peak = torch.cuda.max_memory_allocated(device) / 2**30 if device.type == 'cuda' else None
    return {'kind': kind, 'method': name, 'per_s': round(items(family, batch) / sec, 2), 'step_ms': round(1e3 * sec, 3),
            'peak_mem_gib': None if peak is None else round(peak, 3), 'trainable_params': trainable(model)}

def generation_rows(a, device) -> list[dict]:
    "Greedy tokens/s of the plain LM and the two-cache TOAST model on one prompt, from `generation_speed` (fastest of 2 … 5 runs)."
    from toast.text.generate import generation_speed
    model, _ = build('text', 'toast', a)
    model.to(device).eval()
    prompt = inputs('text', a, device)['input_ids'][:1, :a.prompt_len]
    with torch.autocast(device.type, dtype=torch.bfloat16, enabled=a.dtype == 'bf16'):
        speed = generation_speed(model, prompt, new_tokens=a.new_tokens, repeats=max(2, min(a.steps, 5)))
    return [{'kind': 'generate', 'method': name, 'per_s': round(speed[f'{name}_tokens_per_s'], 2), 'step_ms': None,
             'peak_mem_gib': None, 'trainable_params': None} for name in ('plain', 'toast')]

def count(family: str, kind: str, name: str, a) -> dict:
    """Per item (image or token), counted on the meta device at the configured batch: GFLOP of one step (train: forward, loss and
    backward; infer: forward) and fp32 MiB autograd saves for backward, parameters excluded."""
    with torch.device('meta'):
        model, _ = build(family, name, a)
        model.train(kind == 'train')
        batch = inputs(family, a, torch.device('meta'))
        n = items(family, batch)
        skip, seen = {_storage_key(p) for p in model.parameters()}, {}
        def pack(t):
            k = _storage_key(t)
            if k not in skip: seen[k] = t.untyped_storage().nbytes()
            return t
        counter = flop_counter()
        with counter, torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
            step_fn(family, kind, model, batch, contextlib.nullcontext())()
        gflop = counter.get_total_flops() / n / 1e9
    return {'trainable_params': trainable(model), 'gflop_per_item': round(gflop, 4),
            'saved_mib_per_item': round(sum(seen.values()) / n / 2**20, 4) if kind == 'train' else None}

# ---------------------------------------------------------------- report
def table(rows: list[dict], unit: str) -> str:
    "Markdown table; each kind's rows relative to its reference row (train: finetune, infer: backbone, generate: plain)."
    ref = {k: next((r for r in rows if r['kind'] == k and r['method'] == m), None) for k, m in REF.items()}
    f = lambda v, fmt: '—' if v is None else format(v, fmt)
    rel = lambda r, k: f"{r[k] / ref[r['kind']][k]:.2f}" if ref[r['kind']] and r.get(k) and ref[r['kind']].get(k) else '—'
    spread = lambda r: f"{min(r['per_s_all']):,.1f}–{max(r['per_s_all']):,.1f}" if len(r.get('per_s_all') or []) > 1 else '—'
    out = [f'| kind | method | {UNITS[unit]}/s | range | × ref. | peak GiB | GFLOP/{unit} | × ref. | saved for backward MiB/{unit} | trainable |',
           '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|']
    for r in rows:
        out.append(f"| {r['kind']} | {r['method']} | {f(r['per_s'], ',.1f')} | {spread(r)} | {rel(r, 'per_s')} | "
                   f"{f(r['peak_mem_gib'], '.2f')} | {f(r.get('gflop_per_item'), '.4g')} | {rel(r, 'gflop_per_item')} | "
                   f"{f(r.get('saved_mib_per_item'), ',.3g')} | {f(r['trainable_params'], ',')} |")
    return '\n'.join(out)

def parse(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--family', choices=list(FAMILIES), help='convnet, seg or text (required unless --table-from)')
    p.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    p.add_argument('--backbone', default=None, help='timm ConvNet (convnet), timm ViT (seg); text: smollm2 only (or --tiny). '
                   'Defaults: convnext_tiny / convnext_atto, vit_base_patch16_224 / vit_tiny_patch16_224 (GPU / CPU)')
    p.add_argument('--tiny', action='store_true', help=f"text: a random tiny Llama ({TINY}), batch 4 × {TINY_SEQ_LEN}, no weights needed")
    p.add_argument('--img-size', type=int, default=None, help='convnet 224 / 96, seg 512 / 128 (GPU / CPU)')
    p.add_argument('--seq-len', type=int, default=None, help=f'text: tokens per sequence, 512 / 256 (GPU / CPU; --tiny {TINY_SEQ_LEN})')
    p.add_argument('--batch-size', type=int, default=None, help='convnet 128 / 16, seg 8 / 4, text 16 / 4 (GPU / CPU)')
    p.add_argument('--num-classes', type=int, default=None, help='convnet 200, seg 150 (ADE20K)')
    p.add_argument('--channels', type=int, default=None, help='seg: UperNet width, 512 / 128 (GPU / CPU: about 2/3 of the '
                   'ViT width, as 512 is of ViT-B\'s 768); the auxiliary head gets half')
    p.add_argument('--dtype', choices=('fp32', 'bf16'), default=None, help='GPU default bf16 (autocast), CPU fp32')
    p.add_argument('--steps', type=int, default=None, help='timed steps per row (GPU default 20, CPU 3)')
    p.add_argument('--warmup', type=int, default=None, help='untimed steps first (GPU default 5, CPU 1)')
    p.add_argument('--methods', nargs='+', default=None, help='training rows (default: the family\'s; also e.g. bitfit, '
                   'linear, toast-lite for seg)')
    p.add_argument('--no-infer', action='store_true', help='skip the inference / generation rows')
    p.add_argument('--prompt-len', type=int, default=32, help='text generation: prompt tokens')
    p.add_argument('--new-tokens', type=int, default=32, help='text generation: greedy tokens per run')
    p.add_argument('--threads', type=int, default=None, help="CPU threads (torch.set_num_threads); CPU default 1, GPU: torch's")
    p.add_argument('--repeats', type=int, default=1, help='run all timed rows this many times (interleaved); report the median')
    p.add_argument('--analyse-only', action='store_true', help='only the meta-device counts, no timing; defaults follow --device')
    p.add_argument('--table-from', default=None, help='print the markdown table of a JSON-lines file written by --out, then exit')
    p.add_argument('--out', default=None, help='append JSON lines here')
    a = p.parse_args(argv)
    if a.table_from: return a
    if a.family is None: p.error("choose a model family: --family convnet, seg or text.")
    if a.family == 'text':
        if a.backbone not in (None, 'smollm2'): p.error("--family text runs SmolLM2-135M-Instruct (--backbone smollm2) or --tiny.")
        if a.tiny: a.backbone, a.seq_len = 'tiny_lm', a.seq_len or TINY_SEQ_LEN
    elif a.tiny: p.error("--tiny applies to --family text only.")
    gpu = a.device.startswith('cuda')
    for k, per_family in DEFAULTS.items():
        if getattr(a, k) is None: setattr(a, k, per_family[a.family][0 if gpu else 1])
    for k, g, c in (('dtype', 'bf16', 'fp32'), ('steps', 20, 3), ('warmup', 5, 1), ('threads', None, 1)):
        if getattr(a, k) is None: setattr(a, k, g if gpu else c)
    if a.methods is None: a.methods = list(FAMILIES[a.family][0])
    return a

def main(argv=None):
    a = parse(argv)
    if a.table_from:
        rows = [json.loads(l) for l in open(a.table_from) if l.strip()]
        print(table(rows, 'token' if rows and rows[0].get('family') == 'text' else 'img')); return rows
    fam = a.family
    if a.analyse_only: a.repeats, a.device = 1, 'meta'
    device = torch.device(a.device)
    if a.threads: torch.set_num_threads(a.threads)
    train, infer, unit = FAMILIES[fam]
    batch = inputs(fam, a, device)
    size = f"{a.batch_size} × {a.seq_len} tokens" if fam == 'text' else f"{a.img_size}px, batch {a.batch_size}" + \
        (f", UperNet {a.channels} channels" if fam == 'seg' else '')
    meta = {'family': fam, 'device': torch.cuda.get_device_name(device) if device.type == 'cuda' else 'meta (counts only)'
            if device.type == 'meta' else f'cpu ({platform.processor() or platform.machine()}, {torch.get_num_threads()} threads)',
            'torch': torch.__version__, 'date': datetime.date.today().isoformat(), 'backbone': a.backbone,
            'batch_size': a.batch_size, 'img_size': a.img_size, 'seq_len': a.seq_len, 'channels': a.channels, 'dtype': a.dtype}
    jobs = [('train', m) for m in a.methods] + ([] if a.no_infer else [('infer', m) for m in infer])
    runs, cost = {job: [] for job in jobs}, {}
    for rep in range(a.repeats):
        for kind, name in jobs:
            r = {'kind': kind, 'method': name, 'per_s': None, 'step_ms': None, 'peak_mem_gib': None} if a.analyse_only \
                else measure(fam, kind, name, a, device, batch)
            if rep == 0: cost[kind, name] = count(fam, kind, name, a)
            r.update(cost[kind, name])
            runs[kind, name].append({**r, 'repeat': rep, **meta})
            print(json.dumps(runs[kind, name][-1]), file=sys.stderr, flush=True)
    rows = []
    for rs in runs.values():
        r = dict(sorted(rs, key=lambda r: r['step_ms'] or 0)[len(rs) // 2])  # the median run
        r['repeats'] = len(rs); r['per_s_all'] = [q['per_s'] for q in rs]; r.pop('repeat')
        rows.append(r)
    if fam == 'text' and not (a.no_infer or a.analyse_only):
        rows += [{**r, **meta, 'repeats': 1, 'per_s_all': [r['per_s']]} for r in generation_rows(a, device)]
    for r in rows:
        print(json.dumps(r), flush=True)
        if a.out:
            with open(a.out, 'a') as f: f.write(json.dumps(r) + '\n')
    print(f"\n{meta['device']}, torch {meta['torch']}, {meta['date']}: {fam}, {a.backbone}, {size}, {a.dtype}, "
          f"median of {a.steps} timed steps after {a.warmup} warm-up, median of {a.repeats} repeat(s)\n")
    print(table(rows, unit))
    return rows

if __name__ == '__main__':
    main()
