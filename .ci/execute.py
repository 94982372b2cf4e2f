"""Execute notebooks in place, so that what GitHub shows is the output of the committed code.

    python .ci/execute.py nbs/00_lesson/01_selection.ipynb ...   # cells marked `#| slow` keep their stored outputs
    python .ci/execute.py --slow nbs/08_demos/00_demo.ipynb          # run the slow cells too
    python .ci/execute.py --check nbs                       # CI: do the committed outputs come from the committed code?

Each notebook runs in its own folder, top to bottom, stopping at the first error (the file is then left
untouched). Progress-bar output (carriage-return streams) is dropped; run `nbdev_clean` afterwards.

`--check` runs every notebook the same way without writing it, and compares, cell by cell, the kinds of output
it produced (text, an image, a table, an error) with the outputs stored in the file: a cell added or changed
without re-running the notebook, or outputs stripped, shows up as a difference. Values are not compared (timings
and float rounding differ between machines), and cells marked `#| slow` are skipped (their stored outputs stand). Cells marked `#| eval: false` never run
(as in `nbdev_test`): they hold commands to run by hand.
"""
import argparse, glob, os, sys, time
from execnb.nbio import read_nb, write_nb
from execnb.shell import CaptureShell

def _progress(o) -> bool:
    return o.get('output_type') == 'stream' and ''.join(o.get('text', '')).lstrip(' ').startswith('\r')

def _kinds(cell) -> list:
    "What a cell's outputs are, without their values: (output type, stream name or mime types) per output."
    return [(o.get('output_type'), o.get('name') or tuple(sorted(k for k in o.get('data', {}) if k != 'text/plain')))
            for o in cell.get('outputs', []) if not _progress(o)]

def execute(path: str, slow: bool = False, check: bool = False) -> tuple[float, list[str]]:
    "Run one notebook (in place, or only compared with the file when `check`); returns (seconds, differences)."
    t = time.time()
    folder, name = os.path.split(os.path.abspath(path))
    cwd = os.getcwd(); os.chdir(folder)
    sys.path.insert(0, folder)  # as a kernel started in the folder has it: notebooks import helpers that sit beside them
    os.environ['TOAST_WRITE_FIGURES'] = '0' if check else '1'  # notebooks that make the README's figures write them only when stored
    try:
        nb = read_nb(name)
        stored = [_kinds(c) for c in nb.cells]
        skip = lambda c: c.cell_type == 'code' and ('#| eval: false' in c.source or (not slow and '#| slow' in c.source))
        sh = CaptureShell()
        sh.run_all(nb, exc_stop=True, preproc=skip)
        for c in nb.cells:
            if c.cell_type == 'code': c['outputs'] = [o for o in c.get('outputs', []) if not _progress(o)]
        diffs = [f"{path}: cell {i} ({c.source.splitlines()[0][:60] if c.source else ''!r}): stored {s}, a fresh run gives {_kinds(c)}"
                 for i, (c, s) in enumerate(zip(nb.cells, stored)) if c.cell_type == 'code' and _kinds(c) != s]
        if not check: write_nb(nb, name)
    finally:
        os.chdir(cwd); sys.path.remove(folder)
    return time.time() - t, diffs

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('notebooks', nargs='+', help='notebook files, or folders (every numbered notebook below them)')
    p.add_argument('--slow', action='store_true', help='also run the cells marked #| slow')
    p.add_argument('--check', action='store_true', help='do not write: compare the outputs a fresh run gives with the stored ones')
    a = p.parse_args()
    paths = [q for n in a.notebooks for q in (sorted(glob.glob(os.path.join(n, '**', '[0-9]*.ipynb'), recursive=True))
                                              if os.path.isdir(n) else [n])]
    if len(paths) > 1:  # each notebook in a fresh process, as a kernel is: a notebook's cells re-run module code (registries)
        import subprocess
        flags = [f for f, on in (('--slow', a.slow), ('--check', a.check)) if on]
        failed = [nb for nb in paths if subprocess.run([sys.executable, os.path.abspath(__file__), *flags, nb]).returncode != 0]
        if failed: print(f"{len(failed)} notebook(s) failed or differ: {' '.join(failed)}", file=sys.stderr)
        sys.exit(1 if failed else 0)
    bad = []
    for nb in paths:
        sec, diffs = execute(nb, a.slow, a.check)
        print(f"{nb}: {sec:.0f}s" + (f", {len(diffs)} cell(s) differ" if diffs else ''), flush=True)
        bad += diffs
    if a.check and bad:
        print('\n'.join(bad), file=sys.stderr)
        print(f"{len(bad)} cell(s) hold outputs that the committed code does not produce: run `python .ci/execute.py NOTEBOOK`, "
              "then `nbdev_clean`, and commit the result.", file=sys.stderr)
    sys.exit(1 if a.check and bad else 0)
