"""Draw images/flowchart.png: the per-sample workflow (docs/architecture.md, "The workflow"). Run: python scripts/draw_flowchart.py"""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import FancyBboxPatch  # noqa: E402

EDGE, CLOUD, DECIDE = "#dbeafe", "#fde2e2", "#fef3c7"


def box(ax, x, y, text, color, w=3.2, h=0.8):
    ax.add_patch(FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0.08", fc=color, ec="#333", lw=1.2))
    ax.text(x, y, text, ha="center", va="center", fontsize=9)


def arrow(ax, x1, y1, x2, y2, label=""):
    ax.annotate("", xy=(x2, y2), xytext=(x1, y1), arrowprops=dict(arrowstyle="->", lw=1.3, color="#333"))
    if label:
        ax.text((x1 + x2) / 2 + 0.1, (y1 + y2) / 2 + 0.1, label, fontsize=8.5, color="#444")


OUT = Path(__file__).resolve().parents[1] / "images" / "flowchart.png"


def main(out: Path = OUT) -> Path:
    fig, ax = plt.subplots(figsize=(11, 7.2))
    ax.set_xlim(0, 12)
    ax.set_ylim(-0.2, 9)
    ax.axis("off")
    ax.add_patch(plt.Rectangle((0.2, -0.15), 7.6, 8.85, fc="#f3f7ff", ec="#8aa8d8", ls="--"))
    ax.text(0.4, 8.45, "EDGE (the text never leaves unless sanitized)", fontsize=10, color="#35589a", weight="bold")
    ax.add_patch(plt.Rectangle((8.2, -0.15), 3.6, 8.85, fc="#fff5f5", ec="#d88a8a", ls="--"))
    ax.text(8.4, 8.45, "CLOUD", fontsize=10, color="#9a3535", weight="bold")

    box(ax, 2.0, 7.6, "Sample: case text + question", "white")
    box(ax, 2.0, 6.4, "Detect: regex + spaCy NER + rules\nsensitivity score and level", EDGE, h=1.0)
    box(ax, 2.0, 5.0, "Private information found?", DECIDE)
    box(ax, 5.8, 5.0, "Edge model answers\nconfidence = exp(mean log-prob)", EDGE)
    box(ax, 5.8, 3.6, "confidence >= threshold?", DECIDE)
    box(ax, 2.0, 3.6, "Edge answer is final\n(nothing leaves the edge)", EDGE)
    box(ax, 5.8, 2.0, "Sanitize by sensitivity level\nlow: pseudonymize, medium: mask\nhigh: DP (CusText)", EDGE, h=1.0)
    box(ax, 5.8, 0.95, "Egress guard: no detected value\nin the exact request bytes", EDGE)
    box(ax, 10.0, 6.4, "Cloud LLM on raw text", CLOUD, w=3.0)
    box(ax, 10.0, 0.95, "Cloud LLM on sanitized text", CLOUD, w=3.0)
    box(ax, 2.0, 0.95, "Restore placeholders in the\ncloud answer (mapping stays here)", EDGE)

    arrow(ax, 2.0, 7.2, 2.0, 6.9)
    arrow(ax, 2.0, 5.9, 2.0, 5.4)
    arrow(ax, 3.6, 5.0, 4.2, 5.0)
    ax.text(3.75, 5.12, "yes", fontsize=8.5, color="#444")
    ax.annotate("", xy=(8.5, 6.4), xytext=(2.8, 5.4), arrowprops=dict(arrowstyle="->", lw=1.3, color="#333",
                                                                       connectionstyle="arc3,rad=-0.25"))
    ax.text(5.2, 6.55, "no: send as is", fontsize=8.5, color="#444")
    arrow(ax, 5.8, 4.6, 5.8, 4.0)
    arrow(ax, 4.2, 3.6, 3.6, 3.6)
    ax.text(3.75, 3.72, "yes", fontsize=8.5, color="#444")
    arrow(ax, 5.8, 3.2, 5.8, 2.7, "no")
    arrow(ax, 5.8, 1.7, 5.8, 1.35)
    arrow(ax, 7.4, 0.95, 8.5, 0.95)
    ax.text(7.45, 1.1, "sanitized", fontsize=8.5, color="#444")
    ax.plot([10.0, 10.0, 2.0], [0.55, 0.05, 0.05], color="#9a3535", lw=1.2)  # the answer comes back below
    ax.annotate("", xy=(2.0, 0.55), xytext=(2.0, 0.05), arrowprops=dict(arrowstyle="->", lw=1.2, color="#9a3535"))
    ax.text(6.2, 0.12, "cloud answer", fontsize=8.5, color="#9a3535")
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=130, bbox_inches="tight")
    return out


if __name__ == "__main__":
    print(main())
