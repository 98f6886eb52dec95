#!/usr/bin/env python3
"""POST latency of `vanban serve` (issue 12): CLIENTS closed-loop clients,
each POSTing distinct new texts to /api/v1/sources one after another; prints
the status counts and the latency percentiles of the answers.

    python3 scripts/bench-post.py http://127.0.0.1:18300 TOKEN DOCUMENTS.tsv \
        [--clients 4] [--per-client 25] [--seed 7]

DOCUMENTS.tsv is the one scripts/gen-corpus.py writes: each text cites one
of its documents (so that it lands in a bucket of the store), in a
dissemination sentence of our own.
"""
import argparse
import http.client
import json
import random
import threading
import time
import urllib.parse

PROVINCES = ["Hà Nam", "Nghệ An", "Gia Lai", "Lâm Đồng", "Cà Mau", "Sơn La", "Bắc Ninh"]


def text_for(client, i, docs, rng):
    ref, kind = docs[rng.randrange(len(docs))]
    province = rng.choice(PROVINCES)
    day = rng.randint(1, 28)
    return (
        f"# date = 2025{rng.randint(1, 12):02d}{day:02d}\n"
        f"{province} quán triệt {kind} {ref}\n"
        f"Ngày {day}/5/2025, Ban Thường vụ Tỉnh ủy {province} tổ chức hội nghị quán triệt "
        f"{kind} số {ref} cho cán bộ chủ chốt (bài đo {client}-{i}-{rng.random()}).\n"
    )


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("base")
    ap.add_argument("token")
    ap.add_argument("documents")
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--per-client", type=int, default=25)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    docs = []
    with open(a.documents, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 2:
                docs.append((parts[0], parts[1]))
    url = urllib.parse.urlparse(a.base)
    latencies, statuses, lock = [], {}, threading.Lock()

    def client(c):
        rng = random.Random(a.seed * 1000 + c)
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
        for i in range(a.per_client):
            body = json.dumps({"source": f"bench/{a.seed}/{c}/{i}.txt",
                               "text": text_for(c, i, docs, rng)}).encode()
            t0 = time.perf_counter()
            conn.request("POST", "/api/v1/sources", body,
                         {"Content-Type": "application/json",
                          "Authorization": f"Bearer {a.token}"})
            r = conn.getresponse()
            r.read()
            dt = (time.perf_counter() - t0) * 1000
            with lock:
                latencies.append(dt)
                statuses[r.status] = statuses.get(r.status, 0) + 1

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(c,)) for c in range(a.clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    latencies.sort()

    def pct(p):
        return latencies[min(len(latencies) - 1, int(round(p / 100 * (len(latencies) - 1))))]

    print(json.dumps({"requests": len(latencies), "statuses": statuses,
                      "seconds": round(wall, 2),
                      "p50_ms": round(pct(50), 1), "p90_ms": round(pct(90), 1),
                      "p99_ms": round(pct(99), 1), "max_ms": round(latencies[-1], 1)}))


if __name__ == "__main__":
    main()
