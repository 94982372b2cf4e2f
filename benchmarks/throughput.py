"""Training and inference throughput of TOAST against its baselines, on one device, in one process.

Every model is built by `toast.methods.build_model` on the same backbone, batch and synthetic inputs (already on
the device, so no data loading is timed). A training step is forward, cross-entropy, backward and an AdamW step
over the trainable parameters. Rows:

- train: linear, lora, finetune, toast, toast-lite, toast-reference (a two-pass model built the way the authors'
  implementation works: pass 1 keeps its graph, attention is computed explicitly, the whole biased qkv runs on td),
  toast-cached (TOAST fed a pass-1 output read from an fp16 cache, as `toast.train.cache` does);
  with --ablations also toast-reference variants that add one of its three traits at a time to TOAST;
- infer: the plain backbone and TOAST (both passes), no gradients.

Output: one JSON line per row (stdout and --out), then a markdown table of ratios (training rows to full
fine-tuning, inference rows to the plain backbone).

    python benchmarks/throughput.py                          # GPU: ViT-B/16, 224, batch 128, bf16; CPU: a quick ViT-Tiny run
    python benchmarks/throughput.py --batch-size 64 --dtype fp32
    python benchmarks/throughput.py --family convnet        # ConvNet TOAST rows (also: seg, text; benchmarks/families.py)
"""
from __future__ import annotations
import argparse, contextlib, datetime, gc, json, platform, statistics, sys, time
import torch
from torch import nn
import torch.nn.functional as F
from toast.vision.vit import TopDownViT
import timm
from toast.methods import build_model, count_parameters, method_parameters, set_trainable
from toast.vision.early_late import variant_options

TRAIN_METHODS = ('linear', 'lora', 'finetune', 'toast', 'toast-per-token', 'toast-lite', 'toast-lite-per-token', 'toast-reference',
                 'toast-cached', 'toast-early', 'toast-late')
PER_TOKEN = '-per-token'  # a TOAST row with the collapsed feedback path turned off (`collapse = False`)
ABLATIONS = ('toast+backbone-grad', 'toast+explicit-attn', 'toast+full-qkv-td')

# ---------------------------------------------------------------- the reference two-pass model
def _full_qkv_on_td(proj: nn.Linear, args, out: torch.Tensor):
    "Forward hook: run the whole projection, bias included, on td and add its value part (3× the work, b_V twice)."
    td = getattr(proj, '_ref_td', None)
    if td is None: return None
    vs = proj._toast_vslice
    out[..., vs] += F.linear(td.to(out.dtype), proj.weight.to(out.dtype), proj.bias.to(out.dtype))[..., vs]
    return out

class ReferenceTopDownViT(TopDownViT):
    """TOAST computed the way the authors' implementation does it, for speed comparison only.

    graph: backbone weights keep requires_grad (frozen only by leaving them out of the optimizer), so autograd
           records pass 1 and back-propagates through it, and computes backbone weight gradients in both passes;
    explicit: timm's non-fused attention path, softmax(QKᵀ/√d)V with the attention matrix materialised;
    full_qkv: td goes through the whole biased qkv linear and its V third is added."""
    def __init__(self, backbone: nn.Module, graph: bool = True, explicit: bool = True, full_qkv: bool = True):
        super().__init__(backbone)
        self.graph, self.full_qkv = graph, full_qkv
        if explicit:
            for b in self.blocks: b.attn.fused_attn = False
        if full_qkv:
            for p in self.value_projections: p.register_forward_hook(_full_qkv_on_td)

    def train_parameters(self) -> list[nn.Parameter]:
        "What the optimizer steps: TOAST's parameters (ξ, feedback, head)."
        return method_parameters(self, 'toast')

    def freeze(self):
        set_trainable(self, 'toast')
        if self.graph: self.backbone.requires_grad_(True)
        return self

    def pass1(self, x):
        self.check_input(x)
        with contextlib.nullcontext() if self.graph else torch.no_grad(): return self.backbone.forward_features(x)

    def forward(self, x, z=None):
        if not self.full_qkv: return super().forward(x, z)
        z = self.pass1(x) if z is None else z
        tds, _ = self.top_down(z)
        projs = self.value_projections
        try:
            for p, td in zip(projs, tds): p._ref_td = td
            feats = self.backbone.forward_features(x)
        finally:
            for p in projs: p._ref_td = None
        return self.backbone.forward_head(feats)

# ---------------------------------------------------------------- building
def build(name: str, backbone: str, num_classes: int, img_size: int) -> tuple[nn.Module, list[nn.Parameter]]:
    "(model, parameters the optimizer steps) for a row name."
    kw = dict(num_classes=num_classes, img_size=img_size)
    if name == 'toast-cached': name = 'toast'
    if name in ('toast-early', 'toast-late'):  # TOAST-Early at k = L/2-1, TOAST-Late at k = L/2 (paper Table 10)
        with torch.device('meta'): depth = len(timm.create_model(backbone, img_size=img_size).blocks)
        m = build_model(backbone, 'toast', num_classes=num_classes, img_size=img_size, **variant_options(name, depth))
        return m, [p for p in m.parameters() if p.requires_grad]
    if name.endswith(PER_TOKEN):
        m, params = build(name[:-len(PER_TOKEN)], backbone, num_classes, img_size)
        m.collapse = False
        return m, params
    if name == 'toast-reference' or name in ABLATIONS:
        flags = dict(graph=True, explicit=True, full_qkv=True) if name == 'toast-reference' else \
                dict(graph='backbone-grad' in name, explicit='explicit' in name, full_qkv='full-qkv' in name)
        m = ReferenceTopDownViT(build_model(backbone, 'linear', **kw), **flags).freeze()
        return m, m.train_parameters()
    m = build_model(backbone, name, **kw)
    return m, [p for p in m.parameters() if p.requires_grad]

# ---------------------------------------------------------------- timing
def sync(device):
    if device.type == 'cuda': torch.cuda.synchronize(device)

def timed(fn, steps: int, warmup: int, device) -> list[float]:
    "Seconds of each of `steps` calls of fn, after `warmup` untimed calls, each device-synchronised."
    for _ in range(warmup): fn()
    sync(device)
    out = []
    for _ in range(steps):
        t = time.perf_counter(); fn(); sync(device)
        out.append(time.perf_counter() - t)
    return out

def _storage_key(t: torch.Tensor) -> int: return t.untyped_storage()._cdata  # one id per storage, meta tensors too

def step_fn(kind: str, name: str, model: nn.Module, params, x, y, amp, opt=None):
    "One training step (forward, loss, backward, optimizer step if given) or one inference forward."
    if kind == 'infer':
        def step():
            with torch.inference_mode(), amp: model(x)
        return step
    z = None
    if name == 'toast-cached':  # the cache stores fp16 and hands the trainer fp32, as toast.train.cache does
        with torch.no_grad(), amp: z = model.pass1(x).half()
    def step():
        with amp: logits = model(x) if z is None else model(x, z=z.float())
        F.cross_entropy(logits.float(), y).backward()
        if opt is not None: opt.step(); opt.zero_grad(set_to_none=True)
    return step

def analyse(kind: str, name: str, a, batch: int | None = None) -> dict:
    """Per image, counted on the meta device (no compute, exact for the configured backbone and image size): FLOPs of one
    step (train: forward + backward; infer: forward), and fp32 bytes autograd saves for backward, parameters excluded."""
    from torch.utils.flop_counter import FlopCounterMode
    batch = batch or a.batch_size  # the collapsed feedback path forms its maps once per batch: counts depend on the batch
    with torch.device('meta'):
        torch.manual_seed(0)
        model, params = build(name, a.backbone, a.num_classes, a.img_size)
        model.train(kind == 'train')
        x, y = torch.randn(batch, 3, a.img_size, a.img_size), torch.randint(0, a.num_classes, (batch,))
        step = step_fn(kind, name, model, params, x, y, contextlib.nullcontext())
        skip, seen = {_storage_key(p) for p in model.parameters()}, {}
        def pack(t):
            k = _storage_key(t)
            if k not in skip: seen[k] = t.untyped_storage().nbytes()
            return t
        counter = FlopCounterMode(display=False)
        with counter, torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t): step()
    return {'trainable_params': sum(p.numel() for p in {id(p): p for p in params}.values()),
            'gflop_per_img': round(counter.get_total_flops() / batch / 1e9, 4),
            'saved_mib_per_img': round(sum(seen.values()) / batch / 2**20, 2) if kind == 'train' else None}

def measure(kind: str, name: str, a, device, x, y) -> dict:
    "Median seconds per step on `device`, and the peak memory there (CUDA only)."
    torch.manual_seed(0)
    model, params = build(name, a.backbone, a.num_classes, a.img_size)
    model.to(device).train(kind == 'train')
    trainable = sum(p.numel() for p in {id(p): p for p in params}.values())
    if device.type == 'cuda':
        gc.collect(); torch.cuda.empty_cache(); torch.cuda.reset_peak_memory_stats(device)
    amp = torch.autocast(device.type, dtype=torch.bfloat16, enabled=a.dtype == 'bf16')
    opt = torch.optim.AdamW(params, lr=1e-4, **({'fused': True} if a.fused_optimizer else {})) if kind == 'train' else None
    times = timed(step_fn(kind, name, model, params, x, y, amp, opt), a.steps, a.warmup, device)
    sec = statistics.median(times)
    peak = torch.cuda.max_memory_allocated(device) / 2**30 if device.type == 'cuda' else None
    del model, params, opt
    return {'kind': kind, 'method': name, 'img_s': round(a.batch_size / sec, 2), 'step_ms': round(1e3 * sec, 3),
            'step_ms_mean': round(1e3 * statistics.fmean(times), 3),
            'peak_mem_gib': None if peak is None else round(peak, 3), 'trainable_params': trainable}

def check(backbone: str = 'vit_tiny_patch16_224', img_size: int = 32):
    "The reference computes TOAST: with the qkv biases zeroed (so b_V counts once) its logits equal TopDownViT's."
    torch.manual_seed(0)
    ref, _ = build('toast-reference', backbone, 5, img_size)
    with torch.no_grad():
        for p in ref.value_projections: p.bias.zero_()
    fast = build_model(backbone, 'toast', num_classes=5, img_size=img_size)
    fast.load_state_dict(ref.state_dict())  # same keys: the reference is a TopDownViT
    x = torch.randn(2, 3, img_size, img_size)
    err = (ref(x) - fast(x)).abs().max().item()
    assert err < 1e-4, f"reference and TopDownViT differ by {err}"
    assert ref(x).grad_fn is not None and ref.pass1(x).requires_grad, "the reference must keep pass 1's graph"
    print(f"check: reference model = TopDownViT (biases zeroed), max |Δlogit| = {err:.2e}; pass 1 keeps a graph")

# ---------------------------------------------------------------- report
def table(rows: list[dict]) -> str:
    "Markdown table; training rows relative to full fine-tuning, inference rows to the plain backbone; range: over repeats."
    ref = {'train': next((r for r in rows if r['kind'] == 'train' and r['method'] == 'finetune'), None),
           'infer': next((r for r in rows if r['kind'] == 'infer' and r['method'] == 'backbone'), None)}
    f = lambda v, fmt: '—' if v is None else format(v, fmt)
    rel = lambda r, k: f"{r[k] / ref[r['kind']][k]:.2f}" if ref[r['kind']] and r[k] and ref[r['kind']][k] else '—'
    spread = lambda r: f"{min(r['img_s_all']):,.1f}–{max(r['img_s_all']):,.1f}" if len(r.get('img_s_all') or []) > 1 else '—'
    out = ['| kind | method | img/s | range | × ref. | peak GiB | × ref. | GFLOP/img | × ref. | saved for backward MiB/img | trainable |',
           '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|']
    for r in rows:
        out.append(f"| {r['kind']} | {r['method']} | {f(r['img_s'], ',.1f')} | {spread(r)} | {rel(r, 'img_s')} | {f(r['peak_mem_gib'], '.2f')} | "
                   f"{rel(r, 'peak_mem_gib')} | {r['gflop_per_img']:.3g} | {rel(r, 'gflop_per_img')} | "
                   f"{f(r['saved_mib_per_img'], ',.1f')} | {r['trainable_params']:,} |")
    return '\n'.join(out)

def parse(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--family', choices=('vit', 'convnet', 'seg', 'text'), default='vit',
                   help='vit: the rows below; convnet, seg, text: the other families (benchmarks/families.py, same options)')
    p.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    p.add_argument('--backbone', default=None, help='timm ViT name (GPU default vit_base_patch16_224, CPU vit_tiny_patch16_224)')
    p.add_argument('--img-size', type=int, default=None, help='GPU default 224, CPU 64')
    p.add_argument('--batch-size', type=int, default=None, help='GPU default 128, CPU 8')
    p.add_argument('--dtype', choices=('fp32', 'bf16'), default=None, help='GPU default bf16 (autocast), CPU fp32')
    p.add_argument('--steps', type=int, default=None, help='timed steps per row (GPU default 20, CPU 3)')
    p.add_argument('--warmup', type=int, default=None, help='untimed steps first (GPU default 5, CPU 1)')
    p.add_argument('--num-classes', type=int, default=200)
    p.add_argument('--methods', nargs='+', default=list(TRAIN_METHODS),
                   choices=[*TRAIN_METHODS, 'vpt', 'bitfit', *ABLATIONS, *(m + PER_TOKEN for m in ABLATIONS)],
                   help='training rows')
    p.add_argument('--ablations', action='store_true', help='add the reference traits one at a time to TOAST')
    p.add_argument('--no-infer', action='store_true', help='skip the inference rows')
    p.add_argument('--fused-optimizer', action='store_true', help='AdamW(fused=True)')
    p.add_argument('--threads', type=int, default=None, help="CPU threads (torch.set_num_threads); CPU default 1, GPU: torch's")
    p.add_argument('--repeats', type=int, default=1, help='run all rows this many times (interleaved); report the median')
    p.add_argument('--analyse-only', action='store_true', help='only the meta-device counts (FLOPs, saved bytes), no timing; '
                   'defaults follow --device (e.g. --device cuda: the GPU configuration)')
    p.add_argument('--check', action='store_true', help='check the reference model against TopDownViT, then exit')
    p.add_argument('--table-from', default=None, help='print the markdown table of a JSON-lines file written by --out, then exit')
    p.add_argument('--out', default=None, help='append JSON lines here')
    a = p.parse_args(argv)
    gpu = a.device.startswith('cuda')
    for k, g, c in (('backbone', 'vit_base_patch16_224', 'vit_tiny_patch16_224'), ('img_size', 224, 64), ('batch_size', 128, 8),
                    ('dtype', 'bf16', 'fp32'), ('steps', 20, 4), ('warmup', 5, 1), ('threads', None, 1)):
        if getattr(a, k) is None: setattr(a, k, g if gpu else c)
    if a.ablations: a.methods = [*a.methods, *(m for m in ABLATIONS if m not in a.methods)]
    return a

def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    pre = argparse.ArgumentParser(add_help=False); pre.add_argument('--family', default='vit')
    if pre.parse_known_args(argv)[0].family != 'vit':  # the ConvNet, segmentation and language-model rows
        import families
        return families.main(argv)
    a = parse(argv)
    if a.check: return check()
    if a.table_from:
        rows = [json.loads(l) for l in open(a.table_from) if l.strip()]
        print(table(rows)); return rows
    if a.analyse_only: a.repeats, a.device = 1, 'meta'  # counts only: nothing runs on a device
    device = torch.device(a.device)
    if a.threads: torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    x = torch.randn(a.batch_size, 3, a.img_size, a.img_size, device=device)
    y = torch.randint(0, a.num_classes, (a.batch_size,), device=device)
    meta = {'device': torch.cuda.get_device_name(device) if device.type == 'cuda' else 'meta (counts only)' if device.type == 'meta' else
                      f'cpu ({platform.processor() or platform.machine()}, {torch.get_num_threads()} threads)',
            'torch': torch.__version__, 'date': datetime.date.today().isoformat(), 'backbone': a.backbone,
            'batch_size': a.batch_size, 'img_size': a.img_size, 'dtype': a.dtype}
    jobs = [('train', m) for m in a.methods] + ([] if a.no_infer else [('infer', 'backbone'), ('infer', 'toast'), ('infer', 'toast-per-token'),
                                                                    ('infer', 'toast-early'), ('infer', 'toast-late')])
    runs, cost = {job: [] for job in jobs}, {}
    for rep in range(a.repeats):
        for kind, name in jobs:
            built = 'linear' if name == 'backbone' else name  # 'linear' builds the plain timm model
            r = {'kind': kind, 'method': built, 'img_s': None, 'step_ms': None, 'peak_mem_gib': None} \
                if a.analyse_only else measure(kind, built, a, device, x, y)
            if rep == 0: cost[kind, name] = analyse(kind, built, a)
            r.update(cost[kind, name])
            runs[kind, name].append({**r, 'method': name, 'repeat': rep, **meta})
            print(json.dumps(runs[kind, name][-1]), file=sys.stderr, flush=True)
    rows = []
    for job, rs in runs.items():
        r = dict(sorted(rs, key=lambda r: r['step_ms'])[len(rs) // 2])  # the median run
        r['repeats'] = len(rs); r['img_s_all'] = [q['img_s'] for q in rs]; r.pop('repeat')
        rows.append(r)
        line = json.dumps(r)
        print(line, flush=True)
        if a.out:
            with open(a.out, 'a') as f: f.write(line + '\n')
    print(f"\n{meta['device']}, torch {meta['torch']}, {meta['date']}: {a.backbone}, {a.img_size}px, batch {a.batch_size}, {a.dtype}, "
          f"median of {a.steps} timed steps after {a.warmup} warm-up, median of {a.repeats} repeat(s)\n")
    print(table(rows))
    return rows

if __name__ == '__main__':
    main()
