"""`python -m toast ...` runs the `toast` command (also under `accelerate launch -m toast ...` and `torchrun -m toast ...`)."""
import sys
from toast.cli import main

if __name__ == '__main__':
    sys.exit(main())
