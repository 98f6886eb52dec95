//! The relation chain drawn as an inline SVG (sơ đồ quan hệ), laid out on
//! the server in layers: the document in the middle, the documents that act
//! on it (replace, amend, guide, implement, review it) above, the documents
//! it acts on below, two steps each way. Every label goes through maud.

use crate::snapshot::Snapshot;
use crate::templates;
use crate::urls;
use maud::{html, Markup};
use std::collections::{HashMap, HashSet};
use vanban_extract::RelationKind;
use vanban_store::graph::Direction;

const NODE_W: i64 = 180;
const NODE_H: i64 = 46;
const GAP_X: i64 = 20;
const GAP_Y: i64 = 64;
const MARGIN: i64 = 12;
/// At most this many documents per layer (the list under the graph has all).
const MAX_PER_LAYER: usize = 6;

struct Edge {
    actor: String,
    target: String,
    kind: RelationKind,
}

/// The SVG for document `id` (`None` when it has no relation at all).
pub fn relation_graph(snapshot: &Snapshot, id: &str) -> Option<Markup> {
    let relations = snapshot.relations(id);
    if relations.is_empty() {
        return None;
    }
    // layers[0] is the top; the document sits in layer 2.
    let mut layers: [Vec<String>; 5] = Default::default();
    let mut placed: HashSet<String> = HashSet::from([id.to_owned()]);
    let mut edges: Vec<Edge> = Vec::new();
    layers[2].push(id.to_owned());
    for r in relations {
        let (layer, edge) = match r.direction {
            Direction::Incoming => (1, (r.other.clone(), id.to_owned())),
            Direction::Outgoing => (3, (id.to_owned(), r.other.clone())),
        };
        if placed.insert(r.other.clone()) && layers[layer].len() < MAX_PER_LAYER {
            layers[layer].push(r.other.clone());
        }
        edges.push(Edge {
            actor: edge.0,
            target: edge.1,
            kind: r.kind,
        });
    }
    for (from_layer, to_layer, wanted) in [(1, 0, Direction::Incoming), (3, 4, Direction::Outgoing)]
    {
        let ids = layers[from_layer].clone();
        for near in ids {
            for r in snapshot
                .relations(&near)
                .iter()
                .filter(|r| r.direction == wanted)
            {
                if !placed.insert(r.other.clone()) || layers[to_layer].len() >= MAX_PER_LAYER {
                    continue;
                }
                layers[to_layer].push(r.other.clone());
                let (actor, target) = match wanted {
                    Direction::Incoming => (r.other.clone(), near.clone()),
                    Direction::Outgoing => (near.clone(), r.other.clone()),
                };
                edges.push(Edge {
                    actor,
                    target,
                    kind: r.kind,
                });
            }
        }
    }

    let rows: Vec<&Vec<String>> = layers.iter().filter(|l| !l.is_empty()).collect();
    let widest = rows.iter().map(|l| l.len()).max().unwrap_or(1) as i64;
    let width = (widest * (NODE_W + GAP_X) - GAP_X + 2 * MARGIN).max(NODE_W + 2 * MARGIN);
    let height = rows.len() as i64 * (NODE_H + GAP_Y) - GAP_Y + 2 * MARGIN;
    let mut pos: HashMap<&str, (i64, i64)> = HashMap::new();
    let mut nodes: Vec<(&str, (i64, i64))> = Vec::new();
    for (row, ids) in rows.iter().enumerate() {
        let n = ids.len() as i64;
        let row_w = n * (NODE_W + GAP_X) - GAP_X;
        let x0 = (width - row_w) / 2;
        let y = MARGIN + row as i64 * (NODE_H + GAP_Y);
        for (i, nid) in ids.iter().enumerate() {
            let at = (x0 + i as i64 * (NODE_W + GAP_X), y);
            pos.insert(nid.as_str(), at);
            nodes.push((nid.as_str(), at));
        }
    }
    let label = |nid: &str| -> (String, String) {
        match snapshot.document(nid) {
            Some(d) => (
                shorten(
                    &templates::doc_number(d).unwrap_or_else(|| d.kind.label_vi().to_owned()),
                    24,
                ),
                shorten(
                    &format!(
                        "{}{}",
                        d.kind.label_vi(),
                        d.date
                            .map(|x| format!(" · {}", templates::date(x)))
                            .unwrap_or_default()
                    ),
                    28,
                ),
            ),
            None => (shorten(templates::id_label(nid), 24), String::new()),
        }
    };
    let title = "Sơ đồ quan hệ giữa các văn bản";
    Some(html! {
        svg.relation-graph xmlns="http://www.w3.org/2000/svg" role="img"
            viewBox={ "0 0 " (width) " " (height) } width=(width) height=(height)
            aria-label=(title) {
            title { (title) }
            defs {
                marker #arrow viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse" {
                    path d="M 0 0 L 10 5 L 0 10 z" fill="#5b6670" {}
                }
            }
            @for e in &edges {
                @if let (Some(&(ax, ay)), Some(&(tx, ty))) = (pos.get(e.actor.as_str()), pos.get(e.target.as_str())) {
                    @let (x1, y1, x2, y2) = edge_points(ax, ay, tx, ty);
                    g.edge {
                        line x1=(x1) y1=(y1) x2=(x2) y2=(y2) marker-end="url(#arrow)" {}
                        text x=((x1 + x2) / 2 + 4) y=((y1 + y2) / 2) { (templates::relation_verb(e.kind)) }
                    }
                }
            }
            @for &(nid, (x, y)) in &nodes {
                @let (line1, line2) = label(nid);
                a href=(urls::document(nid)) {
                    g class={ "node" @if nid == id { " current" } } {
                        title { (nid) }
                        rect x=(x) y=(y) width=(NODE_W) height=(NODE_H) rx="6" {}
                        text x=(x + NODE_W / 2) y=(y + 19) text-anchor="middle" font-weight="600" { (line1) }
                        text x=(x + NODE_W / 2) y=(y + 36) text-anchor="middle" { (line2) }
                    }
                }
            }
        }
    })
}

/// From the actor's box edge to the target's box edge (vertical layers).
fn edge_points(ax: i64, ay: i64, tx: i64, ty: i64) -> (i64, i64, i64, i64) {
    let (acx, tcx) = (ax + NODE_W / 2, tx + NODE_W / 2);
    if ay < ty {
        (acx, ay + NODE_H, tcx, ty)
    } else if ay > ty {
        (acx, ay, tcx, ty + NODE_H)
    } else if ax < tx {
        (ax + NODE_W, ay + NODE_H / 2, tx, ty + NODE_H / 2)
    } else {
        (ax, ay + NODE_H / 2, tx + NODE_W, ty + NODE_H / 2)
    }
}

/// At most `max` characters, with `…` when cut.
fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}
