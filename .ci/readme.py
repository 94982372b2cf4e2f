"""Render nbs/index.ipynb into README.md (what `nbdev_readme` does where Quarto is installed).
`python .ci/readme.py` writes it; `python .ci/readme.py --check` fails if README.md differs, or if a measured number
in its prose (a decimal with two or more places, outside code blocks) appears in no notebook's stored outputs:
the README's results must be ones a notebook run printed."""
import glob, json, re, sys
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

def stored_outputs() -> str:
    "The text of every stored output of every notebook."
    out = []
    for p in sorted(glob.glob(str(root / 'nbs' / '**' / '*.ipynb'), recursive=True)):
        for c in json.loads(Path(p).read_text())['cells']:
            for o in c.get('outputs', []):
                out.append(''.join(o.get('text', '')))
                out += [''.join(v) for k, v in o.get('data', {}).items() if k.startswith('text/')]
    return '\n'.join(out)

def unbacked(text: str) -> list[str]:
    "Numbers of the README's prose that no notebook output holds."
    prose = re.sub(r'```.*?```', '', text, flags=re.S)
    outputs = stored_outputs()
    return sorted({n for n in re.findall(r'(?<![\w.])\d+\.\d{2,}(?![\w.])', prose) if n not in outputs})

if __name__ == '__main__':
    text = render()
    if '--check' in sys.argv:
        if (root / 'README.md').read_text() != text:
            sys.exit('README.md differs from nbs/index.ipynb: run `python .ci/readme.py` and commit README.md.')
        if bad := unbacked(text):
            sys.exit(f"README.md quotes {', '.join(bad)}, which no notebook's stored outputs hold: quote what a run printed.")
    else: (root / 'README.md').write_text(text)
