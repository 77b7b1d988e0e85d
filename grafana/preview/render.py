#!/usr/bin/env python3
"""Draws a preview of the Grafana dashboard as SVG: every panel's own PromQL, run against a real
Prometheus over a time range, laid out on the dashboard's grid. Not Grafana: no Grafana is needed,
and the picture only approximates its styling.

usage: render.py DASHBOARD_JSON PROMETHEUS_URL START END OUT_SVG [TITLE]
START and END are Unix seconds. `$instance` becomes `.*` and `$__rate_interval` becomes 5s (what
Grafana picks for a 1 s scrape interval). Only the standard library; loopback Prometheus only.
"""
import json
import math
import re
import sys
import urllib.parse
import urllib.request
from html import escape

WIDTH = 1200
COL = WIDTH / 24
ROW = 30
PAD = 6
BG, PANEL, TEXT, GRID, DIM = "#111217", "#181b1f", "#ccccdc", "#2c3235", "#8e8e8e"
PALETTE = ["#73bf69", "#f2cc0c", "#8ab8ff", "#ff780a", "#f2495c", "#5794f2", "#b877d9", "#fade2a",
           "#96d98d", "#ffb357"]
NAMED = {"green": "#73bf69", "red": "#f2495c", "blue": "#5794f2", "purple": "#b877d9",
         "orange": "#ff780a", "text": "#8e8e8e", "transparent": PANEL}


def query_range(prometheus, expr, start, end, step):
    expr = expr.replace('"$instance"', '".*"').replace("$__rate_interval", "5s")
    url = prometheus + "/api/v1/query_range?" + urllib.parse.urlencode(
        {"query": expr, "start": start, "end": end, "step": step})
    with urllib.request.urlopen(url, timeout=10) as r:
        body = json.load(r)
    if body.get("status") != "success":
        raise RuntimeError(f"{expr}: {body}")
    return body["data"]["result"]


def legend(fmt, labels):
    return re.sub(r"\{\{\s*(\w+)\s*\}\}", lambda m: labels.get(m.group(1), ""), fmt or "").strip() or \
        ",".join(f"{k}={v}" for k, v in labels.items() if k != "__name__")


def fmt_value(v, unit):
    if unit == "s":
        return f"{v * 1000:.0f} ms" if v < 1 else f"{v:.1f} s"
    if unit == "bytes":
        for size, name in ((1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")):
            if v >= size:
                return f"{v / size:.0f} {name}" if v >= 10 * size else f"{v / size:.1f} {name}"
        return f"{v:.0f} B"
    if abs(v) >= 1000:
        return f"{v / 1000:.1f}k"
    return f"{v:.0f}" if abs(v) >= 10 or v == int(v) else f"{v:.1f}"


def series_of(panel, prometheus, start, end, step):
    out = []
    for target in panel.get("targets", []):
        for r in query_range(prometheus, target["expr"], start, end, step):
            points = [(float(t), float(v)) for t, v in r["values"]]
            out.append((legend(target.get("legendFormat"), r["metric"]), points))
    return sorted(out, key=lambda s: s[0])


def box(x, y, w, h):
    return f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" rx="3" fill="{PANEL}" stroke="{GRID}"/>'


def text(x, y, s, size=12, color=TEXT, anchor="start", weight="normal"):
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="{color}" text-anchor="{anchor}" '
            f'font-weight="{weight}">{escape(s)}</text>')


def time_axis(x0, x1, y, start, end):
    parts = []
    for i in range(5):
        t = start + (end - start) * i / 4
        x = x0 + (x1 - x0) * i / 4
        parts.append(text(x, y, f"+{t - start:.0f}s", 10, DIM, ["start", "middle", "middle", "middle", "end"][i]))
    return parts


def timeseries(panel, series, x, y, w, h, start, end):
    unit = panel.get("fieldConfig", {}).get("defaults", {}).get("unit")
    legend_rows = math.ceil(len(series) / 3) if series else 0
    px0, px1 = x + 52, x + w - 10
    py0, py1 = y + 28, y + h - 22 - 14 * legend_rows
    parts = []
    values = [v for _, pts in series for _, v in pts if math.isfinite(v)]
    if not values:
        parts.append(text(x + w / 2, y + h / 2, "No data", 13, DIM, "middle"))
        return parts
    top = max(values) * 1.1 or 1.0
    for i in range(4):
        gy = py1 - (py1 - py0) * i / 3
        parts.append(f'<line x1="{px0}" y1="{gy:.1f}" x2="{px1}" y2="{gy:.1f}" stroke="{GRID}"/>')
        parts.append(text(px0 - 4, gy + 4, fmt_value(top * i / 3, unit), 10, DIM, "end"))
    parts += time_axis(px0, px1, py1 + 14, start, end)
    for n, (name, pts) in enumerate(series):
        color = PALETTE[n % len(PALETTE)]
        runs, run = [], []
        for t, v in pts:
            if not math.isfinite(v):
                if run:
                    runs.append(run)
                run = []
                continue
            run.append(f"{px0 + (px1 - px0) * (t - start) / (end - start):.1f},{py1 - (py1 - py0) * v / top:.1f}")
        if run:
            runs.append(run)
        for r in runs:
            parts.append(f'<polyline fill="none" stroke="{color}" stroke-width="1.5" points="{" ".join(r)}"/>')
        lx = x + 12 + (n % 3) * (w - 20) / 3
        ly = py1 + 30 + 14 * (n // 3)
        parts.append(f'<rect x="{lx:.1f}" y="{ly - 8:.1f}" width="10" height="3" fill="{color}"/>')
        parts.append(text(lx + 14, ly - 3, name[:34], 10))
    return parts


def state_timeline(panel, series, x, y, w, h, start, end, step):
    mappings = {}
    for m in panel.get("fieldConfig", {}).get("defaults", {}).get("mappings") or []:
        for value, opt in (m.get("options") or {}).items():
            mappings[float(value)] = (opt.get("text", value), NAMED.get(opt.get("color"), opt.get("color", DIM)))
    parts = []
    if not series:
        parts.append(text(x + w / 2, y + h / 2, "No data", 13, DIM, "middle"))
        return parts
    px0, px1 = x + 120, x + w - 10
    lane = min(26, (h - 50) / len(series))
    for n, (name, pts) in enumerate(series):
        ly = y + 30 + n * lane
        parts.append(text(px0 - 6, ly + lane / 2 + 4, name[:18], 11, TEXT, "end"))
        # one band per run of equal values, labelled where it is wide enough
        first = 0
        for i in range(1, len(pts) + 1):
            if i < len(pts) and pts[i][1] == pts[first][1]:
                continue
            label, color = mappings.get(pts[first][1], (fmt_value(pts[first][1], None), DIM))
            x0 = px0 + (px1 - px0) * (pts[first][0] - start) / (end - start)
            x1 = min(px1, px0 + (px1 - px0) * (pts[i - 1][0] + step - start) / (end - start))
            parts.append(f'<rect x="{x0:.1f}" y="{ly + 2:.1f}" width="{x1 - x0:.1f}" height="{lane - 4:.1f}" fill="{color}"/>')
            if x1 - x0 > 40:
                parts.append(text((x0 + x1) / 2, ly + lane / 2 + 4, label, 11, BG, "middle", "bold"))
            first = i
    parts += time_axis(px0, px1, y + h - 8, start, end)
    return parts


def main():
    dashboard_file, prometheus, start, end, out = sys.argv[1:6]
    title = sys.argv[6] if len(sys.argv) > 6 else ""
    start, end = float(start), float(end)
    step = max(1.0, round((end - start) / 240))
    dashboard = json.load(open(dashboard_file))
    panels = dashboard["panels"]
    height = max(p["gridPos"]["y"] + p["gridPos"]["h"] for p in panels) * ROW + 50
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
             f'font-family="Inter, Helvetica, Arial, sans-serif">',
             f'<rect width="100%" height="100%" fill="{BG}"/>',
             text(PAD + 4, 24, dashboard.get("title", "dashboard"), 17, TEXT, "start", "bold"),
             text(WIDTH - PAD - 4, 24, title, 11, DIM, "end")]
    for p in panels:
        g = p["gridPos"]
        x, y = g["x"] * COL + PAD / 2, 40 + g["y"] * ROW
        w, h = g["w"] * COL - PAD, g["h"] * ROW - PAD
        if p["type"] == "row":
            parts.append(text(x + 4, y + 20, p["title"], 14, TEXT, "start", "bold"))
            continue
        parts.append(box(x, y, w, h))
        parts.append(text(x + 10, y + 18, p["title"], 12, TEXT, "start", "bold"))
        series = series_of(p, prometheus, start, end, step)
        if p["type"] == "state-timeline":
            parts += state_timeline(p, series, x, y, w, h, start, end, step)
        else:
            parts += timeseries(p, series, x, y, w, h, start, end)
    parts.append("</svg>")
    with open(out, "w") as f:
        f.write("\n".join(parts) + "\n")


if __name__ == "__main__":
    main()
