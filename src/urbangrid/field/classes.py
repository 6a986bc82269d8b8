"""The catalogue classes as the phone searches them: by name, by pinyin initials (jg → 井盖) or full pinyin."""

from functools import lru_cache

from pypinyin import Style, lazy_pinyin

from urbangrid.dispatch import directory


@lru_cache(maxsize=8192)
def spellings(name: str) -> tuple[str, str]:
    """(initials, full pinyin) of a class name, computed once per name and kept."""
    return "".join(lazy_pinyin(name, style=Style.FIRST_LETTER)).lower(), "".join(lazy_pinyin(name)).lower()


def listing() -> list[dict]:
    """Every active class, with what the phone needs to search it offline."""
    found = []
    for (kind, code), klass in sorted(directory.get().classes.items()):
        if not klass.active:
            continue
        initials, full = spellings(klass.name)
        found.append({"kind": kind, "code": code, "name": klass.name, "group": klass.large_class_name,
                      "initials": initials, "pinyin": full})
    return found


def search(query: str, limit: int = 20) -> list[dict]:
    """Classes whose name, code, initials or pinyin contain the query; initial matches first."""
    query = query.strip().lower()
    if not query:
        return []
    hits = [c for c in listing() if query in c["name"] or c["code"].startswith(query)
            or query in c["initials"] or query in c["pinyin"]]
    hits.sort(key=lambda c: (not (c["initials"].startswith(query) or c["name"].startswith(query)), c["code"]))
    return hits[:limit]
