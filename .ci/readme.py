"""Render nbs/index.ipynb into README.md (what `nbdev_readme` does where Quarto is installed).
`python .ci/readme.py` writes it; `python .ci/readme.py --check` fails if README.md differs."""
import json, sys
from pathlib import Path

root = Path(__file__).resolve().parents[1]

def render() -> str:
    parts = []
    for c in json.loads((root / 'nbs' / 'index.ipynb').read_text())['cells']:
        src = ''.join(c['source']).strip()
        if c['cell_type'] == 'markdown':
            if src.startswith('# ') and '\n\n> ' in src:  # title and its summary line
                title, summary = src.split('\n\n> ', 1)
                src = f"{title}\n\n{summary}"
            parts.append(src)
        elif c['cell_type'] == 'code' and not src.startswith('#|'):
            parts.append(f"```python\n{src}\n```")
            for o in c.get('outputs', []):
                text = ''.join(o.get('text') or o.get('data', {}).get('text/plain', []))
                if text: parts.append(f"```\n{text.rstrip()}\n```")
    return '\n\n'.join(parts) + '\n'

if __name__ == '__main__':
    text = render()
    if '--check' in sys.argv:
        if (root / 'README.md').read_text() != text:
            sys.exit('README.md differs from nbs/index.ipynb: run `python .ci/readme.py` and commit README.md.')
    else: (root / 'README.md').write_text(text)
