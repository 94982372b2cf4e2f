"""Execute notebooks in place, so that what GitHub shows is the output of the committed code.

    python .ci/execute.py nbs/core/01_selection.ipynb ...   # cells marked `#| slow` keep their stored outputs
    python .ci/execute.py --slow nbs/40_demo.ipynb          # run the slow cells too

Each notebook runs in its own folder, top to bottom, stopping at the first error (the file is then left
untouched). Progress-bar output (carriage-return streams) is dropped; run `nbdev_clean` afterwards.
"""
import argparse, os, sys, time
from execnb.nbio import read_nb, write_nb
from execnb.shell import CaptureShell

def _progress(o) -> bool:
    return o.get('output_type') == 'stream' and ''.join(o.get('text', '')).lstrip(' ').startswith('\r')

def execute(path: str, slow: bool = False) -> float:
    "Run one notebook in place; returns the seconds it took."
    t = time.time()
    folder, name = os.path.split(os.path.abspath(path))
    cwd = os.getcwd(); os.chdir(folder)
    try:
        nb = read_nb(name)
        skip = lambda c: c.cell_type == 'code' and not slow and '#| slow' in c.source
        sh = CaptureShell()
        sh.run_all(nb, exc_stop=True, preproc=skip)
        for c in nb.cells:
            if c.cell_type == 'code': c['outputs'] = [o for o in c.get('outputs', []) if not _progress(o)]
        write_nb(nb, name)
    finally: os.chdir(cwd)
    return time.time() - t

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('notebooks', nargs='+')
    p.add_argument('--slow', action='store_true', help='also run the cells marked #| slow')
    a = p.parse_args()
    for nb in a.notebooks:
        print(f"{nb}: {execute(nb, a.slow):.0f}s", flush=True)
    sys.exit(0)
