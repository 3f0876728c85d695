"""Writes the labelled places of the offline base map (static/parley/basemap/places.geojson).

Coordinates are those of the town centres (WGS 84, longitude first). `kind` is `capital`,
`city`, `town` or `site`; the map shows names in the reader's language.
"""

import json
from pathlib import Path

PLACES = [
    # kind, lon, lat, English, Ukrainian, Russian
    ("capital", 30.5234, 50.4501, "Kyiv", "Київ", "Киев"),
    ("capital", 37.6173, 55.7558, "Moscow", "Москва", "Москва"),
    ("capital", 7.4474, 46.9480, "Bern", "Берн", "Берн"),
    ("city", 6.1432, 46.2044, "Geneva", "Женева", "Женева"),
    # Zaporizhzhia front
    ("city", 35.1396, 47.8388, "Zaporizhzhia", "Запоріжжя", "Запорожье"),
    ("town", 34.6564, 47.4989, "Enerhodar", "Енергодар", "Энергодар"),
    ("site", 34.5858, 47.5119, "Zaporizhzhia NPP", "Запорізька АЕС", "Запорожская АЭС"),
    ("town", 35.2768, 47.4416, "Vasylivka", "Василівка", "Васильевка"),
    ("town", 35.3667, 47.4833, "Kamianske", "Кам'янське", "Каменское"),
    ("town", 35.2610, 47.5900, "Stepnohirsk", "Степногірськ", "Степногорск"),
    ("town", 35.7853, 47.5679, "Orikhiv", "Оріхів", "Орехов"),
    ("town", 35.9131, 47.4650, "Robotyne", "Роботине", "Работино"),
    ("town", 36.2524, 47.4823, "Polohy", "Пологи", "Пологи"),
    ("town", 35.7050, 47.2549, "Tokmak", "Токмак", "Токмак"),
    ("city", 35.3675, 46.8489, "Melitopol", "Мелітополь", "Мелитополь"),
    ("city", 36.7886, 46.7557, "Berdiansk", "Бердянськ", "Бердянск"),
    ("city", 34.3964, 47.5712, "Nikopol", "Нікополь", "Никополь"),
    ("city", 35.0462, 48.4647, "Dnipro", "Дніпро", "Днепр"),
    # Kherson front
    ("city", 32.6169, 46.6354, "Kherson", "Херсон", "Херсон"),
    ("town", 32.7183, 46.6167, "Oleshky", "Олешки", "Алёшки"),
    ("town", 32.5218, 46.5236, "Hola Prystan", "Гола Пристань", "Голая Пристань"),
    ("site", 32.7150, 46.6713, "Antonivskyi Bridge", "Антонівський міст", "Антоновский мост"),
    ("town", 33.3486, 46.7546, "Nova Kakhovka", "Нова Каховка", "Новая Каховка"),
    ("town", 33.4876, 46.8127, "Kakhovka", "Каховка", "Каховка"),
    ("town", 33.4257, 46.8402, "Beryslav", "Берислав", "Берислав"),
    ("city", 31.9946, 46.9750, "Mykolaiv", "Миколаїв", "Николаев"),
    # Donetsk front
    ("city", 37.8028, 48.0159, "Donetsk", "Донецьк", "Донецк"),
    ("city", 37.7069, 48.5277, "Kostiantynivka", "Костянтинівка", "Константиновка"),
    ("city", 37.1758, 48.2822, "Pokrovsk", "Покровськ", "Покровск"),
    ("town", 37.7497, 48.1394, "Avdiivka", "Авдіївка", "Авдеевка"),
    ("town", 37.8474, 48.3976, "Toretsk", "Торецьк", "Торецк"),
    ("town", 37.8344, 48.5866, "Chasiv Yar", "Часів Яр", "Часов Яр"),
    ("city", 38.0008, 48.5947, "Bakhmut", "Бахмут", "Артёмовск"),
    ("city", 38.0925, 48.3336, "Horlivka", "Горлівка", "Горловка"),
    ("city", 37.5563, 48.7230, "Kramatorsk", "Краматорськ", "Краматорск"),
    ("city", 37.6052, 48.8531, "Sloviansk", "Слов'янськ", "Славянск"),
    ("city", 37.5434, 47.0971, "Mariupol", "Маріуполь", "Мариуполь"),
]

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "src/parley/ui/static/parley/basemap/places.geojson"


def main() -> None:
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {"kind": kind, "name_en": en, "name_uk": uk, "name_ru": ru},
        }
        for kind, lon, lat, en, uk, ru in PLACES
    ]
    lines = ",\n".join(json.dumps(f, ensure_ascii=False) for f in features)
    TARGET.write_text(
        '{"type": "FeatureCollection", "features": [\n' + lines + "\n]}\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
