"""Charts as SVG rendered on the server from Vega-Lite (vl-convert). Every chart carries a text
alternative (role="img", <title>, <desc>) and is shown next to a table of the same numbers."""

from __future__ import annotations

import functools
import hashlib
import json
import re
from html import escape

FONT = "Fira Sans, Helvetica, Arial, sans-serif"


@functools.lru_cache(maxsize=256)
def _render(spec_json: str) -> str:
    import vl_convert

    return vl_convert.vegalite_to_svg(json.loads(spec_json))


def _svg(spec: dict, title: str, description: str) -> str:
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "config": {
            "font": FONT,
            "axis": {"labelFontSize": 11, "titleFontSize": 11},
            "view": {"stroke": None},
        },
        **spec,
    }
    svg = _render(json.dumps(spec, sort_keys=True, default=str))
    svg = re.sub(r"^<svg ", '<svg role="img" aria-labelledby="{id}-t {id}-d" ', svg, count=1)
    ident = "chart-" + hashlib.sha1(f"{title}|{description}".encode()).hexdigest()[:10]
    svg = svg.replace("{id}", ident)
    head = (
        f'<title id="{ident}-t">{escape(title)}</title>'
        f'<desc id="{ident}-d">{escape(description)}</desc>'
    )
    return re.sub(r"(<svg[^>]*>)", r"\1" + head.replace("\\", "\\\\"), svg, count=1)


def monthly_bars(points: list[tuple[str, float | None]], *, title: str, unit: str, target=None):
    """Bars per month (``points``: month label, value; None is drawn as a gap)."""
    values = [{"Monat": label, "Wert": value} for label, value in points if value is not None]
    layers = [
        {
            "mark": {"type": "bar", "color": "#0b4d8c"},
            "encoding": {
                "x": {"field": "Monat", "type": "ordinal", "sort": None, "title": None},
                "y": {"field": "Wert", "type": "quantitative", "title": unit or None},
            },
        }
    ]
    if target is not None:
        layers.append(
            {
                "mark": {"type": "rule", "color": "#b3261e", "strokeDash": [6, 4], "size": 2},
                "encoding": {"y": {"datum": float(target)}},
            }
        )
    spec = {"width": 520, "height": 180, "data": {"values": values}, "layer": layers}
    shown = ", ".join(f"{label}: {'–' if v is None else v}" for label, v in points)
    description = f"{title}. {shown}" + (f". Ziel: {target}" if target is not None else "")
    return _svg(spec, title, description)


def flow_chart(cells: list[dict], *, title: str) -> str:
    """Who refers to whom: a circle per pair, its area the number of referrals, its colour the
    median working days to the answer (the numbers are in the matrix beside it)."""
    spec = {
        "width": {"step": 56},
        "height": {"step": 28},
        "data": {"values": cells},
        "mark": {"type": "circle", "opacity": 0.9},
        "encoding": {
            "x": {"field": "an", "type": "nominal", "title": "an", "axis": {"labelAngle": -40}},
            "y": {"field": "von", "type": "nominal", "title": "von"},
            "size": {"field": "Anzahl", "type": "quantitative", "scale": {"range": [20, 900]}},
            "color": {
                "field": "Median AT",
                "type": "quantitative",
                "scale": {"scheme": "blues"},
            },
        },
    }
    shown = "; ".join(
        f"{c['von']} an {c['an']}: {c['Anzahl']} (Median {c['Median AT']} AT)" for c in cells
    )
    return _svg(spec, title, f"{title}. {shown}")
