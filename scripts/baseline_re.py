#!/usr/bin/env python3
"""The same-run baseline for BENCHMARKS.md: a straightforward Python `re`
extractor of the same citations (kind word + number-symbol, Party and state
styles, short forms), over the same files, one core. It reads every file into
memory first, then times NFC normalisation + the regex scan, best of N passes.

    python3 scripts/baseline_re.py ../shared/corpus [--repeat 3]
"""
import os
import re
import sys
import time
import unicodedata

KINDS = (r"Nghị quyết|Quy định|Quyết định|Chỉ thị|Kết luận|Hướng dẫn|Quy chế|Thông báo|"
         r"Kế hoạch|Chương trình|Báo cáo|Công văn|Hiến pháp|Bộ luật|Luật|Pháp lệnh|Nghị định|Thông tư")
NUMBER = (r"\d{1,5}[a-z]?\s*(?:-\s*[A-ZĐa-z]{2,4}\s*/\s*[A-ZĐƯ]{2,8}(?:-[A-ZĐ]+)*"
          r"|/\s*\d{4}\s*/\s*(?:[A-ZĐ]{2,5}-[A-ZĐa-z-]+|QH\d{1,2})"
          r"|/\s*[A-ZĐ]{2,4}-[A-ZĐa-z-]+)")
CITATION = re.compile(rf"\b{NUMBER}")
SHORT = re.compile(rf"(?:{KINDS})\s+(?:số\s*)?\d{{1,4}}\b")
DATE = re.compile(r"ngày\s+(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})")


def files(paths):
    for root in paths:
        if os.path.isfile(root):
            yield root
            continue
        for dirpath, _, names in sorted(os.walk(root)):
            for name in sorted(names):
                if name.endswith((".txt", ".html", ".htm")):
                    yield os.path.join(dirpath, name)


def main():
    args = sys.argv[1:]
    repeat = 3
    if "--repeat" in args:
        i = args.index("--repeat")
        repeat = int(args[i + 1])
        del args[i:i + 2]
    data = [open(p, "rb").read() for p in files(args or ["../shared/corpus"])]
    total = sum(len(d) for d in data)
    best = float("inf")
    found = 0
    for _ in range(repeat):
        start = time.perf_counter()
        found = 0
        for raw in data:
            text = unicodedata.normalize("NFC", raw.decode("utf-8", "replace"))
            for m in CITATION.finditer(text):
                found += 1
                DATE.match(text, m.end() + 2)
            found += sum(1 for _ in SHORT.finditer(text))
        best = min(best, time.perf_counter() - start)
    print(f"python re baseline: {len(data)} files, {total / 1e6:.1f} MB, best of {repeat}: "
          f"{total / 1e6 / best:.1f} MB/s, {len(data) / best:.0f} files/s, {found} matches")


if __name__ == "__main__":
    main()
