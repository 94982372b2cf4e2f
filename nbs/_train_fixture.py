"""Test fixtures of the training notebooks: a toy image task registered as data source `toy`, a stand-in trainer for
the experiment pipeline (`fake_runner`), and a script entry that runs one training config, used to launch the
engine in several processes (`accelerate launch --cpu --num_processes 2 _train_fixture.py CONFIG.yaml OUT_DIR`)."""
import sys
import torch
from torch.utils.data import Dataset
from toast.vision.data import DataBundle, register_data

TINY_VIT = dict(img_size=32, patch_size=8, embed_dim=32, depth=2, num_heads=2)  # timm kwargs: a 2-block ViT, 16 patches


COLOURS = torch.tensor([[1., 0, 0], [0, 1, 0], [0, 0, 1], [-1, -1, -1]])  # class k: a square of colour k


class ToyImages(Dataset):
    "4 classes: a 12×12 square of the class's colour at a random place, on noise. `aug`: fresh noise and a random flip per access."
    def __init__(self, n: int, seed: int, aug: bool = False):
        g = torch.Generator().manual_seed(seed)
        self.y = torch.arange(n) % 4
        self.x = 0.5 * torch.randn(n, 3, 32, 32, generator=g)
        pos = torch.randint(0, 32 - 12, (n, 2), generator=g)
        for i, k in enumerate(self.y.tolist()):
            r, c = pos[i].tolist()
            self.x[i, :, r:r + 12, c:c + 12] += COLOURS[k][:, None, None]
        self.aug = aug

    def __len__(self): return len(self.y)

    def __getitem__(self, i):
        x = self.x[i]
        if self.aug:  # torch's global RNG, like torchvision's random transforms
            x = x + 0.1 * torch.randn_like(x)
            if torch.rand(()) < 0.5: x = x.flip(-2)
        return x, int(self.y[i])


@register_data('toy')
def toy_data(arg: str, protocol: str, n_train: int = 64, n_eval: int = 32) -> DataBundle:
    "`toy:plain` (fixed images) or `toy:aug` (random noise and flips on every access)."
    if arg not in ('plain', 'aug'): raise ValueError(f"unknown toy variant '{arg}'; valid: plain, aug.")
    aug = arg == 'aug'
    return DataBundle(train=ToyImages(n_train, 0, aug), eval=ToyImages(n_eval, 1), num_classes=4, in_chans=3,
                      img_size=32, random_aug=aug)


if __name__ == '__main__':
    from toast.train import TrainConfig, run
    cfg = TrainConfig.from_yaml(sys.argv[1], [f'out_dir={sys.argv[2]}', *sys.argv[3:]])
    run(cfg)


def launch(cfg, nprocs: int = 2, resume: bool = False) -> dict:
    "Run `toast.train.run(cfg)` in `nprocs` forked processes joined by gloo, started as torchrun starts them; returns its result.json."
    import json, os, socket
    from pathlib import Path
    from accelerate.state import AcceleratorState
    from toast.train import run
    with socket.socket() as s: s.bind(('127.0.0.1', 0)); port = s.getsockname()[1]
    def worker(rank):
        os.environ.update(RANK=str(rank), LOCAL_RANK=str(rank), WORLD_SIZE=str(nprocs), LOCAL_WORLD_SIZE=str(nprocs),
                          MASTER_ADDR='127.0.0.1', MASTER_PORT=str(port), OMP_NUM_THREADS='1')
        AcceleratorState._reset_state(reset_partial_state=True)  # forget this process's one-process accelerate state
        run(cfg, resume=resume)
    torch.multiprocessing.start_processes(worker, nprocs=nprocs, start_method='fork')
    return json.loads((Path(cfg.out_dir) / 'result.json').read_text())


def tiny(method: str = 'toast', n: int = 4, seed: int = 0, backbone: str = 'vit_tiny_patch16_224', **kw):
    "A seeded 2-block ViT (TINY_VIT) built for `method` with an `n`-class head."
    from toast.methods import build_model
    torch.manual_seed(seed)
    return build_model(backbone, method, n, **TINY_VIT, **kw)


def fake_runner(s: dict, calls: list) -> dict:
    """A stand-in for training one run of the experiment pipeline (notebooks 09_protocols/00_experiments, 09_protocols/01_report): records the
    settings in `calls`; on the search split the point (base lr 0.5, wd 0.01) has the best *epoch* of all (0.95) but
    ends at 0.40, and (0.1, 0.01) and (0.1, 0) tie at the end; a final run scores (800 + seed) / 1000."""
    calls.append(s)
    base_lr = round(s['lr'] * 256 / s['batch_size'], 6)
    if s['protocol'] == 'search':
        final = {(0.5, 0.01): 0.40, (0.5, 0): 0.60, (0.1, 0.01): 0.70, (0.1, 0): 0.70}[(base_lr, s['weight_decay'])]
        hist = [{'epoch': 0, 'accuracy': 0.95 if final == 0.40 else 0.1}, {'epoch': 1, 'accuracy': final}]
    else:
        final = (800 + s['seed']) / 1000
        hist = [{'epoch': 0, 'accuracy': 0.99}, {'epoch': 1, 'accuracy': final}]
    return {'accuracy': final, 'loss': 1.0, 'trainable_params': 1234, 'seconds': 1.5, 'history': hist}
