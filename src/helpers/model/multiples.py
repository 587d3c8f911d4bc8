"""Changes published only as multiples ("в 2,8 раза", "a 1.5-fold increase", "more than doubled").

The raw rows keep such changes in their quote, unconverted (`yoy_pct` stays empty). Converting one to a
percentage would put a number in the briefing that no page printed, and "fell 1.8 times" has no agreed
percentage at all. Its direction, though, is in the words: a page that says a value "increased 2.8 times" says
it rose. `published_multiple` reads that direction, and only when the quote leaves no doubt: a multiple, words
of one direction only, and no sign that the comparison is with the previous month rather than a year earlier.
"""

import re

# The multiple as the page wrote it: "в 2,8 раза" / "на 1,5 раза" (Russian), "1.5-fold", "2.5 times", "doubled".
_NUMBER = r"(\d+(?:[.,]\d+)?)"
_MULTIPLES = [
    (re.compile(rf"(?:в|на)\s+{_NUMBER}\s+раз", re.IGNORECASE), "{} times"),
    (re.compile(rf"{_NUMBER}[-\s]fold", re.IGNORECASE), "{}-fold"),
    (re.compile(rf"{_NUMBER}\s+times", re.IGNORECASE), "{} times"),
    (
        re.compile(
            r"((?:more than |nearly |almost )?(?:doubled|tripled|quadrupled))", re.IGNORECASE
        ),
        "{}",
    ),
    (re.compile(r"(двукратн|трехкратн|трёхкратн)\w*", re.IGNORECASE), "{}"),
]
_WORDS = {"двукратн": "twofold", "трехкратн": "threefold", "трёхкратн": "threefold"}
_RISE = re.compile(
    r"увелич|вырос|выросл|рост|нарастил|больше|increase|rose|surge|jump|grew|doubled|tripled"
    r"|quadrupled|higher",
    re.IGNORECASE,
)
_FALL = re.compile(
    r"сократ|снизил|снижен|уменьш|меньше|упал|просел|fell|drop|declin|decreas|lower|slump|down\b",
    re.IGNORECASE,
)
# The comparison is with the previous month, not a year earlier: not a y/y change at all.
_NOT_YEAR_ON_YEAR = re.compile(
    r"m/m|month-on-month|месяцем ранее|по сравнению с (?:январ|феврал|март|апрел|ма[яе]|"
    r"июн|июл|август|сентябр|октябр|ноябр|декабр)",
    re.IGNORECASE,
)


def published_multiple(quote: str) -> dict | None:
    """{'multiple': '2.8 times', 'direction': 'rise' | 'fall'} for a quote that gives a change as a multiple
    with words of one direction only; None when there is no multiple, the words point both ways or none,
    or the quote compares with the previous month."""
    text = str(quote or "")
    if _NOT_YEAR_ON_YEAR.search(text):
        return None
    for pattern, template in _MULTIPLES:
        match = pattern.search(text)
        if match:
            found = match.group(1)
            multiple = _WORDS.get(found.lower(), template.format(found.replace(",", ".")))
            break
    else:
        return None
    rise, fall = bool(_RISE.search(text)), bool(_FALL.search(text))
    if rise == fall:
        return None
    return {"multiple": multiple, "direction": "rise" if rise else "fall"}
