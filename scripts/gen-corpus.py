#!/usr/bin/env python3
"""Writes a large, varied corpus of news-like texts for the scale benchmarks
(issue 12): conferences that disseminate (quán triệt, triển khai) a document
in a province or district, trainings, interim and final reviews (sơ kết,
tổng kết N năm), the issuing of a document and what it replaces, provincial
plans that carry a document out, guidance from the central boards, state
decrees that replace earlier ones, and plain news that cites nothing.

Every text is generated from a seed, so the same command always writes the
same files. The document universe is large (tens of thousands of distinct
numbers, kinds, issuers and years), the places come from the gazetteer the
extractor uses (crates/extract/data/districts.tsv), the office-holders'
names are random combinations of common name parts, and the sentences are
this project's own templates in several constructions each.

    python3 scripts/gen-corpus.py OUT_DIR [--files 1000000] [--seed 1]
                                  [--documents 40000] [--per-dir 1000]

OUT_DIR receives NNNN/NNNNNNN.txt (1,000 files per folder by default) and
documents.tsv: one line per central document (reference, kind, issuer, date,
the reference it replaces or '-'), which the benchmarks use to pick
references to look up.
"""
import argparse
import os
import random
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")

PROVINCES_63 = [
    "Hà Nội", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "An Giang", "Bà Rịa - Vũng Tàu",
    "Bắc Giang", "Bắc Kạn", "Bạc Liêu", "Bắc Ninh", "Bến Tre", "Bình Định",
    "Bình Dương", "Bình Phước", "Bình Thuận", "Cà Mau", "Cao Bằng", "Đắk Lắk",
    "Đắk Nông", "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang",
    "Hà Nam", "Hà Tĩnh", "Hải Dương", "Hậu Giang", "Hòa Bình", "Hưng Yên",
    "Khánh Hòa", "Kiên Giang", "Kon Tum", "Lai Châu", "Lâm Đồng", "Lạng Sơn",
    "Lào Cai", "Long An", "Nam Định", "Nghệ An", "Ninh Bình", "Ninh Thuận",
    "Phú Thọ", "Phú Yên", "Quảng Bình", "Quảng Nam", "Quảng Ngãi", "Quảng Ninh",
    "Quảng Trị", "Sóc Trăng", "Sơn La", "Tây Ninh", "Thái Bình", "Thái Nguyên",
    "Thanh Hóa", "Thừa Thiên Huế", "Tiền Giang", "Trà Vinh", "Tuyên Quang",
    "Vĩnh Long", "Vĩnh Phúc", "Yên Bái", "Hồ Chí Minh",
]
CITIES = {"Hà Nội", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Hồ Chí Minh"}

TOPICS = [
    "một số vấn đề bảo vệ chính trị nội bộ Đảng",
    "công tác kiểm tra, giám sát và kỷ luật của Đảng",
    "trách nhiệm nêu gương của cán bộ, đảng viên",
    "tăng cường công tác phòng, chống tham nhũng, tiêu cực",
    "công tác cán bộ và quản lý cán bộ",
    "đổi mới, nâng cao chất lượng sinh hoạt chi bộ",
    "công tác dân vận trong tình hình mới",
    "phát triển kinh tế tập thể",
    "chuyển đổi số quốc gia",
    "công tác thi đua, khen thưởng",
    "bảo vệ nền tảng tư tưởng của Đảng",
    "công tác phát triển đảng viên",
    "xây dựng tổ chức cơ sở đảng trong doanh nghiệp",
    "công tác văn thư, lưu trữ",
    "thực hành tiết kiệm, chống lãng phí",
    "công tác quy hoạch cán bộ",
    "luân chuyển cán bộ lãnh đạo, quản lý",
    "công tác bảo vệ môi trường",
    "phát triển nguồn nhân lực chất lượng cao",
    "xây dựng nông thôn mới",
    "công tác thông tin đối ngoại",
    "kiểm soát quyền lực trong công tác cán bộ",
    "công tác phổ biến, giáo dục pháp luật",
    "bảo đảm an ninh mạng",
]

PARTY_KINDS = [
    # kind, symbol suffix, issuers
    ("Quy định", "QĐ/TW", ["Bộ Chính trị", "Ban Bí thư", "Ban Chấp hành Trung ương"]),
    ("Chỉ thị", "CT/TW", ["Bộ Chính trị", "Ban Bí thư"]),
    ("Nghị quyết", "NQ/TW", ["Bộ Chính trị", "Ban Chấp hành Trung ương"]),
    ("Kết luận", "KL/TW", ["Bộ Chính trị", "Ban Bí thư"]),
    ("Quyết định", "QĐ/TW", ["Bộ Chính trị", "Ban Bí thư"]),
]
GUIDANCE_ISSUERS = [
    ("HD/BTCTW", "Ban Tổ chức Trung ương"),
    ("HD/UBKTTW", "Ủy ban Kiểm tra Trung ương"),
    ("HD/BTGTW", "Ban Tuyên giáo Trung ương"),
    ("HD/VPTW", "Văn phòng Trung ương Đảng"),
]

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ",
            "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Lương", "Mai", "Tạ"]
MIDDLES = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Xuân", "Ngọc",
           "Hồng", "Công", "Đình", "Thế", "Anh", "Kim", "Trọng", "Bá", "Thu"]
GIVENS = ["An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hạnh", "Hòa", "Hùng",
          "Hương", "Khang", "Lan", "Long", "Mai", "Nam", "Nga", "Phong", "Phúc",
          "Quang", "Sơn", "Tâm", "Thắng", "Thảo", "Thành", "Trung", "Tuấn",
          "Vinh", "Yến", "Lâm", "Hiếu", "Khánh", "Nhung", "Tùng", "Quân"]

PROVINCIAL_TITLES = [
    "Bí thư Tỉnh ủy", "Phó Bí thư Thường trực Tỉnh ủy", "Phó Bí thư Tỉnh ủy",
    "Trưởng Ban Tổ chức Tỉnh ủy", "Trưởng Ban Tuyên giáo Tỉnh ủy",
    "Chủ nhiệm Ủy ban Kiểm tra Tỉnh ủy", "Chủ tịch UBND tỉnh",
]
CITY_TITLES = [
    "Bí thư Thành ủy", "Phó Bí thư Thường trực Thành ủy", "Phó Bí thư Thành ủy",
    "Trưởng Ban Tổ chức Thành ủy", "Trưởng Ban Tuyên giáo Thành ủy",
    "Chủ nhiệm Ủy ban Kiểm tra Thành ủy", "Chủ tịch UBND thành phố",
]

FILLER = [
    "Hội nghị được kết nối trực tuyến đến các điểm cầu cấp huyện và đảng ủy trực thuộc.",
    "Tham dự hội nghị có các đồng chí ủy viên Ban Thường vụ, lãnh đạo các sở, ban, ngành, đoàn thể.",
    "Báo cáo viên đã giới thiệu những nội dung cơ bản và điểm mới của văn bản.",
    "Các đại biểu đã trao đổi, thảo luận về những khó khăn, vướng mắc trong quá trình thực hiện.",
    "Hội nghị đề nghị các cấp ủy xây dựng kế hoạch cụ thể, phù hợp với điều kiện của địa phương.",
    "Việc triển khai được tiến hành nghiêm túc, đúng kế hoạch đề ra.",
    "Kết quả thực hiện đã góp phần nâng cao năng lực lãnh đạo và sức chiến đấu của tổ chức đảng.",
    "Bên cạnh kết quả đạt được, vẫn còn một số hạn chế cần sớm khắc phục.",
]

NOISE = [
    "Giải bóng đá thiếu niên khu vực miền Trung khép lại sau mười ngày tranh tài sôi nổi.",
    "Mưa lớn kéo dài khiến nhiều tuyến đường nội thị bị ngập sâu trong chiều qua.",
    "Lễ hội hoa xuân thu hút hàng chục nghìn lượt khách tham quan trong ba ngày cuối tuần.",
    "Giá lúa tại các tỉnh đồng bằng tăng nhẹ so với tuần trước.",
    "Đoàn nghệ thuật tỉnh biểu diễn phục vụ bà con vùng sâu, vùng xa.",
]

WEEKDAYS = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"]


def load_districts():
    """(district kind, name, province) from the extractor's gazetteer."""
    out = {}
    path = os.path.join(ROOT, "crates", "extract", "data", "districts.tsv")
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 3 and not parts[1].isdigit():
                out.setdefault(parts[2], []).append(parts[1])
    return out


class Doc:
    __slots__ = ("kind", "number", "symbol", "date", "issuer", "topic", "replaces")

    def ref(self):
        return f"{self.number}-{self.symbol}"

    def full(self, rng, with_date=True, with_issuer=True, with_topic=True):
        """A citation in one of the forms reporters use."""
        s = f"{self.kind} số {self.ref()}" if rng.random() < 0.8 else f"{self.kind} {self.ref()}"
        if with_date:
            d = self.date
            if rng.random() < 0.5:
                s += f" ngày {d[2]}/{d[1]}/{d[0]}"
            else:
                s += f" ngày {d[2]}-{d[1]}-{d[0]}"
        if with_issuer:
            s += f" của {self.issuer}"
        if with_topic:
            s += f" về {self.topic}" if rng.random() < 0.6 else f' về "{self.topic[0].upper()}{self.topic[1:]}"'
        return s

    def short(self):
        return f"{self.kind} {self.number}"


def make_universe(rng, count):
    """Central documents; about one in six replaces an earlier one of its kind."""
    docs, seen, by_kind = [], set(), {}
    while len(docs) < count:
        kind, sym, issuers = rng.choice(PARTY_KINDS)
        if rng.random() < 0.15:
            sym, issuer = rng.choice(GUIDANCE_ISSUERS)
            kind = "Hướng dẫn"
        else:
            issuer = rng.choice(issuers)
        number = rng.randint(1, 1999)
        year = rng.randint(2005, 2025)
        # Party documents are numbered afresh in every five-year term of the
        # Central Committee (2006-2010, 2011-2015, ...): the same number and
        # symbol recur across terms, as in real citations.
        key = (number, sym, (year - 2006) // 5)
        if key in seen:
            continue
        seen.add(key)
        d = Doc()
        d.kind, d.number, d.symbol, d.issuer = kind, number, sym, issuer
        d.date = (year, rng.randint(1, 12), rng.randint(1, 28))
        d.topic = rng.choice(TOPICS)
        d.replaces = None
        older = [o for o in by_kind.get((kind, d.topic), []) if o.date[0] < year]
        if older and rng.random() < 0.5:
            d.replaces = rng.choice(older)
        by_kind.setdefault((kind, d.topic), []).append(d)
        docs.append(d)
    return docs


def person(rng):
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLES)} {rng.choice(GIVENS)}"


def party_committee(province):
    return f"Thành ủy {province}" if province in CITIES else f"Tỉnh ủy {province}"


def title_of(rng, province):
    return rng.choice(CITY_TITLES if province in CITIES else PROVINCIAL_TITLES)


def header(rng, y, m, d):
    """A publication line in one of the forms news sites print."""
    hh, mm = rng.randint(6, 21), rng.randint(0, 59)
    form = rng.randrange(4)
    if form == 0:
        return f"Cập nhật: {d:02d}/{m:02d}/{y} {hh:02d}:{mm:02d}"
    if form == 1:
        return f"Ngày đăng: {d:02d}/{m:02d}/{y}"
    if form == 2:
        return f"{rng.choice(WEEKDAYS)}, {d}/{m}/{y}, {hh:02d}:{mm:02d} (GMT+7)"
    return f"{d:02d}/{m:02d}/{y} | {hh:02d}:{mm:02d}"


def after(rng, doc, min_days=10, max_years=3):
    """A (y, m, d) some time after the document's date, not after 2025."""
    y = min(2025, doc.date[0] + rng.randint(0, max_years))
    m = rng.randint(1, 12)
    if y == doc.date[0]:
        m = min(12, doc.date[1] + rng.randint(0, 11 - min(11, doc.date[1] - 1)))
        m = max(m, doc.date[1])
    return y, m, rng.randint(1, 28)


def event_day(rng, y, m, d):
    """The meeting's own day, just before publication, as reporters write it."""
    ed = max(1, d - rng.randint(0, 2))
    form = rng.randrange(4)
    if form == 0:
        return f"Sáng {ed}/{m}"
    if form == 1:
        return f"Chiều {ed}-{m}"
    if form == 2:
        return f"Ngày {ed}/{m}/{y}"
    return f"Sáng nay ({ed}/{m})"


def place_phrase(rng, province, districts):
    """Who organises: the province's committee, or a district's."""
    ds = districts.get(province)
    if ds and rng.random() < 0.35:
        name = rng.choice(ds)
        unit = rng.choice(["Huyện ủy", "Thị ủy", "Thành ủy"])
        return f"Ban Thường vụ {unit} {name} (tỉnh {province})" if province not in CITIES else f"Ban Thường vụ Quận ủy {name}"
    return f"Ban Thường vụ {party_committee(province)}"


def dissemination(rng, docs, districts):
    doc = rng.choice(docs)
    province = rng.choice(PROVINCES_63)
    y, m, d = after(rng, doc, max_years=1)
    verb = rng.choice(["học tập, quán triệt", "quán triệt, triển khai", "nghiên cứu, học tập, quán triệt", "triển khai thực hiện"])
    others = [doc] + ([rng.choice(docs)] if rng.random() < 0.3 else [])
    cited = " và ".join(o.full(rng, with_date=rng.random() < 0.7, with_topic=False) for o in others)
    org = place_phrase(rng, province, districts)
    lines = [
        f"{org.split(' (')[0].replace('Ban Thường vụ ', '')} {verb.split(',')[0]} {doc.short()}",
        header(rng, y, m, d),
        "",
        f"{event_day(rng, y, m, d)}, {org} tổ chức hội nghị {verb} {cited} cho cán bộ chủ chốt.",
    ]
    if rng.random() < 0.7:
        lines.append(f"Đồng chí {person(rng)}, {title_of(rng, province)} {province}, chủ trì hội nghị.")
    lines.append(rng.choice(FILLER))
    if rng.random() < 0.5:
        lines.append(f"Các cấp ủy được yêu cầu hoàn thành việc quán triệt {doc.short()} đến từng chi bộ trước ngày 30/{rng.randint(6, 12)}/{y}.")
    return lines


def training(rng, docs, districts):
    doc = rng.choice(docs)
    province = rng.choice(PROVINCES_63)
    y, m, d = after(rng, doc, max_years=2)
    n = rng.randint(2, 3)
    start = rng.randint(1, 25)
    return [
        f"Tập huấn nghiệp vụ về {doc.topic} tại {province}",
        header(rng, y, m, min(28, start + n)),
        "",
        f"Từ ngày {start} đến {start + n - 1}/{m}, Ban Tổ chức {party_committee(province)} tổ chức lớp tập huấn {doc.full(rng, with_issuer=rng.random() < 0.6, with_topic=False)} cho hơn {rng.randint(80, 400)} cán bộ làm công tác tổ chức, kiểm tra.",
        rng.choice(FILLER),
        f"Phát biểu bế mạc, đồng chí {person(rng)}, {title_of(rng, province)}, đề nghị học viên vận dụng kiến thức vào thực tiễn.",
    ]


def review(rng, docs, districts):
    doc = rng.choice(docs)
    years = rng.choice([3, 5, 10, 15])
    y = doc.date[0] + years
    if y > 2025:
        years, y = 1, doc.date[0] + 1
    m, d = rng.randint(1, 12), rng.randint(1, 28)
    province = rng.choice(PROVINCES_63)
    kind = "tổng kết" if years >= 10 else "sơ kết"
    return [
        f"{province} {kind} {years} năm thực hiện {doc.short()}",
        header(rng, min(2025, y), m, d),
        "",
        f"Ngày {max(1, d - 1)}/{m}, {party_committee(province)} tổ chức hội nghị {kind} {years} năm thực hiện {doc.full(rng, with_date=False)}.",
        rng.choice(FILLER),
        rng.choice(FILLER),
    ]


def issuance(rng, docs, districts):
    doc = rng.choice([o for o in rng.sample(docs, 20) if o.replaces] or docs)
    y, m, d = doc.date
    lines = [
        f"{doc.issuer} ban hành {doc.kind.lower()} mới về {doc.topic}",
        header(rng, y, m, min(28, d + rng.randint(0, 5))),
        "",
        f"Ngày {d}-{m}-{y}, thay mặt {doc.issuer}, đồng chí {person(rng)} đã ký ban hành {doc.full(rng, with_date=False, with_issuer=False)}.",
    ]
    if doc.replaces:
        old = doc.replaces
        form = rng.randrange(3)
        if form == 0:
            lines.append(f"{doc.kind} này thay thế {old.full(rng, with_topic=False)}.")
        elif form == 1:
            lines.append(f"{doc.short()} là văn bản thay thế {old.full(rng, with_issuer=False, with_topic=False)}, sau {y - old.date[0]} năm thực hiện.")
        else:
            lines.append(f"Văn bản mới thay thế {old.kind.lower()} số {old.ref()} ngày {old.date[2]}/{old.date[1]}/{old.date[0]}.")
    lines.append(rng.choice(FILLER))
    return lines


def plan(rng, docs, districts):
    doc = rng.choice(docs)
    province = rng.choice(PROVINCES_63)
    y, m, d = after(rng, doc, max_years=1)
    num = rng.randint(1, 399)
    suffix = "KH/TU" if province not in CITIES else "KH/TU"
    return [
        f"{party_committee(province)} ban hành kế hoạch thực hiện {doc.short()}",
        header(rng, y, m, d),
        "",
        f"{party_committee(province)} vừa ban hành Kế hoạch số {num}-{suffix} ngày {max(1, d - 2)}/{m}/{y} thực hiện {doc.full(rng, with_date=False, with_topic=False)}.",
        f"Kế hoạch yêu cầu các cấp ủy trực thuộc tổ chức quán triệt trong quý {rng.randint(1, 4)} năm {y}.",
        rng.choice(FILLER),
    ]


def guidance(rng, docs, districts):
    doc = rng.choice(docs)
    sym, issuer = rng.choice(GUIDANCE_ISSUERS)
    y, m, d = after(rng, doc, max_years=1)
    return [
        f"Hướng dẫn thực hiện {doc.short()}",
        header(rng, y, m, d),
        "",
        f"{issuer} ban hành Hướng dẫn số {rng.randint(1, 199)}-{sym} ngày {d}/{m}/{y} hướng dẫn thực hiện {doc.full(rng, with_date=rng.random() < 0.5, with_topic=False)}.",
        rng.choice(FILLER),
    ]


def decree(rng, docs, districts):
    y = rng.randint(2010, 2025)
    old_y = y - rng.randint(2, 8)
    n, old_n = rng.randint(1, 199), rng.randint(1, 199)
    topic = rng.choice(TOPICS)
    m, d = rng.randint(1, 12), rng.randint(1, 28)
    return [
        f"Chính phủ ban hành nghị định mới về {topic}",
        header(rng, y, m, d),
        "",
        f"Ngày {d}/{m}/{y}, Chính phủ ban hành Nghị định số {n}/{y}/NĐ-CP về {topic}.",
        f"Nghị định có hiệu lực thi hành từ ngày ký và thay thế Nghị định số {old_n}/{old_y}/NĐ-CP của Chính phủ.",
        rng.choice(FILLER),
    ]


def online(rng, docs, districts):
    doc = rng.choice(docs)
    y, m, d = after(rng, doc, max_years=0)
    return [
        f"Hội nghị toàn quốc quán triệt {doc.short()}",
        header(rng, y, m, d),
        "",
        f"{event_day(rng, y, m, d)}, {doc.issuer} tổ chức hội nghị trực tuyến toàn quốc quán triệt, triển khai {doc.full(rng, with_issuer=False, with_topic=False)}.",
        f"Tại điểm cầu {rng.choice(PROVINCES_63)}, đồng chí {person(rng)} chủ trì.",
        rng.choice(FILLER),
    ]


def noise(rng, docs, districts):
    y, m, d = rng.randint(2015, 2025), rng.randint(1, 12), rng.randint(1, 28)
    body = rng.sample(NOISE, 3)
    return [body[0].split(" ")[0] + " " + " ".join(body[0].split(" ")[1:6]), header(rng, y, m, d), ""] + body


KINDS = [
    (dissemination, 30), (training, 12), (review, 12), (issuance, 10),
    (plan, 12), (guidance, 6), (decree, 6), (online, 6), (noise, 6),
]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out")
    ap.add_argument("--files", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--documents", type=int, default=40_000)
    ap.add_argument("--per-dir", type=int, default=1000)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    districts = load_districts()
    docs = make_universe(rng, a.documents)
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "documents.tsv"), "w", encoding="utf-8") as f:
        for o in docs:
            y, m, d = o.date
            f.write(f"{o.ref()}\t{o.kind}\t{o.issuer}\t{y:04d}-{m:02d}-{d:02d}\t{o.replaces.ref() if o.replaces else '-'}\n")
    makers = [k for k, w in KINDS for _ in range(w)]
    for i in range(a.files):
        folder = os.path.join(a.out, f"{i // a.per_dir:04d}")
        if i % a.per_dir == 0:
            os.makedirs(folder, exist_ok=True)
        lines = rng.choice(makers)(rng, docs, districts)
        # A serial line makes every file's content distinct even when two
        # draws happen to agree.
        lines.append(f"(Tin số {i + 1})")
        with open(os.path.join(folder, f"{i:07d}.txt"), "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        if (i + 1) % 100_000 == 0:
            print(f"{i + 1} files", file=sys.stderr)
    print(f"{a.files} files and documents.tsv ({len(docs)} documents) under {a.out}")


if __name__ == "__main__":
    main()
