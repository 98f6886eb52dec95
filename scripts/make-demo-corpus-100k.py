#!/usr/bin/env python3
"""Writes the web benchmark's 100,000-file store input: the texts of
samples/demo/ copied until there are 100,000 files, each copy with a line
"Bản sao số N." appended so that every file has distinct content (every copy
cites the same documents: each page is at its heaviest).

    python3 scripts/make-demo-corpus-100k.py /tmp/web100k/c [--files 100000]
"""
import glob
import os
import sys


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: make-demo-corpus-100k.py OUTPUT_DIR [--files N]")
    out = sys.argv[1]
    files = int(sys.argv[sys.argv.index("--files") + 1]) if "--files" in sys.argv else 100_000
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "samples", "demo")
    src = sorted(glob.glob(os.path.join(root, "*.txt"))) + sorted(glob.glob(os.path.join(root, "*.html")))
    if not src:
        sys.exit(f"no demo texts under {root}")
    written, copy = 0, 0
    while written < files:
        copy += 1
        folder = os.path.join(out, f"copy-{copy:04d}")
        os.makedirs(folder, exist_ok=True)
        for path in src:
            if written >= files:
                break
            with open(path, "rb") as f:
                data = f.read()
            line = f"<p>Bản sao số {copy}.</p>" if path.endswith(".html") else f"\nBản sao số {copy}.\n"
            with open(os.path.join(folder, os.path.basename(path)), "wb") as f:
                f.write(data + line.encode())
            written += 1
    print(f"{written} files in {copy} copies under {out}")


if __name__ == "__main__":
    main()
