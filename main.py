"""Launch hccdecide: ``python main.py [CASE.json]``."""
import sys

from hccdecide.gui.app import main

if __name__ == "__main__":
    sys.exit(main(sys.argv))
