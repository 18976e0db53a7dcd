"""The bar-weight setting: its question, its buttons and typed answers."""

from __future__ import annotations

import re
from decimal import Decimal

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import i18n
from bot.chat import buttons
from bot.chat.buttons import Setting
from bot.chat.loads import bar_weight, format_amount
from bot.domain.plates import STANDARD_BAR
from bot.domain.units import Unit, to_grams
from bot.i18n import _
from bot.services.profile import Kit
from bot.services.settings import BAR_GRAMS, Bar, Step, View

# Bars people own besides the standard one: women's and technique bars.
OTHER_BARS = {Unit.KG: (Decimal(15), Decimal(10)), Unit.LB: (Decimal(35), Decimal(25))}
_TYPED = re.compile(r"\s*(\d{1,3}(?:[.,]\d{1,2})?)\s*(kg|kgs|lb|lbs)?\s*", re.IGNORECASE)
STANDARD = "std"


def bar_text(kit: Kit) -> str:
    weight = f"{format_amount(bar_weight(kit))} {i18n.current().unit(kit.unit)}"
    return _("%(weight)s (standard)", weight=weight) if kit.bar_grams is None else weight


def bar_question(view: View) -> tuple[str, InlineKeyboardMarkup]:
    unit = view.kit.unit

    def key(label: str, raw: str) -> InlineKeyboardButton:
        data = buttons.encode(Setting(Step.BAR.value, raw))
        return InlineKeyboardButton(label, callback_data=data)

    unit_name = i18n.current().unit(unit)
    standard = _("%(weight)s (standard)", weight=f"{format_amount(STANDARD_BAR[unit])} {unit_name}")
    others = [
        key(f"{format_amount(weight)} {unit_name}", str(to_grams(weight, unit)))
        for weight in OTHER_BARS[unit]
    ]
    keep = InlineKeyboardButton(
        _("Keep as is"), callback_data=buttons.encode(Setting("skip", Step.BAR.value))
    )
    return (
        _(
            "How heavy is your bar? Now %(bar)s. I use it to tell you the plates per side. "
            "Tap one or type its weight, like <code>15</code> (%(unit)s).",
            bar=bar_text(view.kit),
            unit=unit_name,
        ),
        InlineKeyboardMarkup([[key(standard, STANDARD), *others], [keep]]),
    )


def bar_value(raw: str) -> Bar | None:
    """A bar button's value: the standard bar, or grams."""
    if raw == STANDARD:
        return Bar(None)
    return Bar(int(raw)) if raw.isdigit() and int(raw) in BAR_GRAMS else None


def typed_bar(text: str, unit: Unit) -> Bar | None:
    """`15`, `15 kg`, `35 lb`: the bar's weight (in the user's unit unless one is given)."""
    match = _TYPED.fullmatch(text)
    if match is None:
        return None
    given = Unit.LB if (match[2] or "").lower().startswith("lb") else Unit.KG if match[2] else unit
    grams = to_grams(Decimal(match[1].replace(",", ".")), given)
    return Bar(grams) if grams in BAR_GRAMS else None
