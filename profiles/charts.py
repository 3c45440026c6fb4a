"""Geometry for the members map's server-drawn SVG bar charts (no script, no inline style)."""

from dataclasses import dataclass

from profiles.selectors import MapRow, MembersMap
from taxonomy.labels import label

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 290
CHART_WIDTH = 680
COUNTRY_LIMIT = 25


@dataclass
class Bar:
    label: str
    code: str
    count: int
    y: int
    text_y: int
    width: int


@dataclass
class Chart:
    bars: list[Bar]
    height: int
    label_width: int = LABEL_WIDTH
    width: int = CHART_WIDTH

    @property
    def value_x(self) -> int:
        return self.label_width + 6


def bar_chart(rows: list[MapRow]) -> Chart:
    room = CHART_WIDTH - LABEL_WIDTH - 60
    bars = []
    for index, row in enumerate(rows):
        y = index * (BAR_HEIGHT + GAP)
        bars.append(
            Bar(
                label=label(str(row.name)),  # regions are shipped names
                code=row.code,
                count=row.count,
                y=y,
                text_y=y + BAR_HEIGHT - 6,
                width=max(int(row.share * room), 2 if row.count else 0),
            )
        )
    return Chart(bars=bars, height=max(len(rows) * (BAR_HEIGHT + GAP), BAR_HEIGHT))


def map_chart(data: MembersMap) -> dict[str, Chart]:
    """Charts for the regions and the countries with most members (the table lists all)."""
    return {
        "regions": bar_chart(data.regions),
        "countries": bar_chart(data.countries[:COUNTRY_LIMIT]),
    }
