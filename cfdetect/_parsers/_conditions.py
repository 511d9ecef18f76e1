"""Item conditions: free text in the supported languages mapped to new, used, refurbished or
other."""

from __future__ import annotations

# First match wins, so the longer phrase comes first ("como nuevo" is used, "nuevo" new). The
# marketplaces' own scales in the supported languages: eBay, Vinted ("Muy bueno", "Sehr gut",
# "Très bon état"), Mercado Libre, OLX, Avito ("Б/у", "Отличное состояние").
_CONDITIONS = (
    ("refurb", "refurbished"), ("renewed", "refurbished"), ("remanufactured", "refurbished"),
    ("reacondicionad", "refurbished"), ("recondicionad", "refurbished"),
    ("renovad", "refurbished"), ("generalüberholt", "refurbished"),
    ("reconditionné", "refurbished"), ("восстановлен", "refurbished"),
    ("parts", "other"), ("not working", "other"), ("para piezas", "other"),
    ("para peças", "other"), ("für bastler", "other"), ("defekt", "other"),
    ("pour pièces", "other"), ("на запчасти", "other"),
    ("pre-owned", "used"), ("preowned", "used"), ("second hand", "used"), ("secondhand", "used"),
    ("used", "used"), ("like new", "used"), ("good", "used"), ("fair", "used"),
    ("usad", "used"), ("seminuev", "used"), ("segunda mano", "used"), ("como nuev", "used"),
    ("buen estado", "used"), ("muy bueno", "used"), ("satisfactorio", "used"),
    ("seminov", "used"), ("bom estado", "used"), ("muito bom", "used"), ("satisfatório", "used"),
    ("gebraucht", "used"), ("wie neu", "used"), ("neuwertig", "used"), ("sehr gut", "used"),
    ("gut erhalten", "used"), ("zufriedenstellend", "used"),
    ("occasion", "used"), ("bon état", "used"), ("comme neuf", "used"), ("satisfaisant", "used"),
    ("б/у", "used"), ("состояние", "used"), ("поддержан", "used"), ("ношен", "used"),
    ("new", "new"), ("нов", "new"), ("open box", "new"), ("sealed", "new"),
    ("nuev", "new"), ("novo", "new"), ("nova", "new"), ("neu", "new"), ("neuf", "new"),
    ("neuve", "new"),
)  # fmt: skip


def parse_condition(raw: object) -> str:
    """Map free-text condition to ``new``, ``used``, ``refurbished`` or ``other``.

    Examples
    --------
    >>> parse_condition("New other (see details)"), parse_condition("Seller refurbished")
    ('new', 'refurbished')
    """
    text = str(raw).strip().casefold()
    known = _CONDITION_MEMO.get(text)
    if known is not None:
        return known
    value = next((value for needle, value in _CONDITIONS if needle in text), "other")
    if len(text) <= 64 and len(_CONDITION_MEMO) < 4096:  # the few values exports use (bounded;
        _CONDITION_MEMO[text] = value  # a race between threads writes the same value)
    return value


_CONDITION_MEMO: dict[str, str] = {}
