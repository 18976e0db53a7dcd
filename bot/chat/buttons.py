"""Button data: one typed value per kind of button, written and read here and nowhere else.

Data is `tag:field:...`, at most 64 bytes (Telegram's limit). It carries only ids and small
numbers that the handler checks against the database, so a button still works after a restart
(nothing is kept in memory) and an outdated one is answered as stale, not obeyed.

Versioning: a tag's layout never changes. A new layout takes a new tag, so the buttons already
sitting in users' chats keep meaning what they meant; an unknown tag is answered as expired.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.ext import ContextTypes

from bot.domain.progression import Effort
from bot.i18n import _

MAX_BYTES = 64  # Telegram's limit on callback data


@dataclass(frozen=True)
class LogReps:
    workout_id: int
    step: int
    reps: int


@dataclass(frozen=True)
class LogSetsOf:
    """ "3x10" read as 3 sets of 10: the sets due, at the current load."""

    workout_id: int
    step: int
    sets: int
    reps: int


@dataclass(frozen=True)
class LogCheckedSet:
    """A typed set the user confirmed (a load far from the last one, or "3 reps at 10 kg")."""

    workout_id: int
    step: int
    reps: int
    reps_other_leg: int | None
    load_grams: int


@dataclass(frozen=True)
class RateEffort:
    workout_id: int
    step: int
    effort: Effort


@dataclass(frozen=True)
class UndoSet:
    workout_id: int
    set_id: int


@dataclass(frozen=True)
class RestMore:
    """+30 s on the rest before the set at this step."""

    workout_id: int
    step: int


@dataclass(frozen=True)
class RestSkip:
    workout_id: int
    step: int


@dataclass(frozen=True)
class ShowCues:
    exercise: str


@dataclass(frozen=True)
class StopWorkout:
    workout_id: int
    keep: bool


@dataclass(frozen=True)
class TrainAnyway:
    pass


@dataclass(frozen=True)
class RestInstead:
    pass


@dataclass(frozen=True)
class StartFromReminder:
    pass


@dataclass(frozen=True)
class PauseReminders:
    days: int | None  # None: until /resume


@dataclass(frozen=True)
class ShowChart:
    pass


@dataclass(frozen=True)
class ShowHistoryPage:
    page: int


@dataclass(frozen=True)
class ShowPastWorkout:
    workout_id: int


@dataclass(frozen=True)
class EraseEverything:
    asked: int  # when the confirmation was asked (Unix seconds): it expires


@dataclass(frozen=True)
class KeepData:
    pass


@dataclass(frozen=True)
class ChooseLanguage:
    tag: str  # a shipped language: "de", "pt_BR"


@dataclass(frozen=True)
class Setting:
    """An onboarding or settings button: `kind` is ask, skip or a step; the step reads `raw`."""

    kind: str
    raw: str


Button = (
    LogReps
    | LogSetsOf
    | LogCheckedSet
    | RateEffort
    | UndoSet
    | RestMore
    | RestSkip
    | ShowCues
    | StopWorkout
    | TrainAnyway
    | RestInstead
    | StartFromReminder
    | PauseReminders
    | ShowChart
    | ShowHistoryPage
    | ShowPastWorkout
    | EraseEverything
    | KeepData
    | ChooseLanguage
    | Setting
)

_ID = re.compile(r"^\d{1,12}$")
_WORD = re.compile(r"^[a-z_]{1,32}$")


def encode(button: Button) -> str:
    match button:
        case LogReps(workout_id, step, reps):
            data = f"s:{workout_id}:{step}:{reps}"
        case LogSetsOf(workout_id, step, sets, reps):
            data = f"n:{workout_id}:{step}:{sets}:{reps}"
        case LogCheckedSet(workout_id, step, reps, other, grams):
            data = f"t:{workout_id}:{step}:{reps}:{'-' if other is None else other}:{grams}"
        case RateEffort(workout_id, step, effort):
            data = f"e:{workout_id}:{step}:{effort.value}"
        case UndoSet(workout_id, set_id):
            data = f"u:{workout_id}:{set_id}"
        case RestMore(workout_id, step):
            data = f"m:{workout_id}:{step}:30"
        case RestSkip(workout_id, step):
            data = f"m:{workout_id}:{step}:skip"
        case ShowCues(exercise):
            data = f"q:{exercise}"
        case StopWorkout(workout_id, keep):
            data = f"c:{workout_id}:{'keep' if keep else 'discard'}"
        case TrainAnyway():
            data = "w:go"
        case RestInstead():
            data = "w:rest"
        case StartFromReminder():
            data = "r:go"
        case PauseReminders(days):
            data = f"r:pause:{'off' if days is None else days}"
        case ShowChart():
            data = "p:chart"
        case ShowHistoryPage(page):
            data = f"h:p:{page}"
        case ShowPastWorkout(workout_id):
            data = f"h:w:{workout_id}"
        case EraseEverything(asked):
            data = f"d:yes:{asked}"
        case KeepData():
            data = "d:no"
        case ChooseLanguage(tag):
            data = f"l:{tag}"
        case Setting(kind, raw):
            data = f"o:{kind}:{raw}"
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"button data over {MAX_BYTES} bytes: {data!r}")
    return data


def _ids(*fields: str) -> bool:
    return all(_ID.match(field) for field in fields)


def decode(data: str) -> Button | None:
    """The button this data was made for; None for anything this version never wrote."""
    match data.split(":"):
        case ["s", workout_id, step, reps] if _ids(workout_id, step, reps):
            return LogReps(int(workout_id), int(step), int(reps))
        case ["n", workout_id, step, sets, reps] if _ids(workout_id, step, sets, reps):
            return LogSetsOf(int(workout_id), int(step), int(sets), int(reps))
        case ["t", workout_id, step, reps, other, grams] if _ids(
            workout_id, step, reps, grams
        ) and (other == "-" or _ids(other)):
            return LogCheckedSet(
                int(workout_id),
                int(step),
                int(reps),
                None if other == "-" else int(other),
                int(grams),
            )
        case ["e", workout_id, step, effort] if _ids(workout_id, step) and effort in set(Effort):
            return RateEffort(int(workout_id), int(step), Effort(effort))
        case ["u", workout_id, set_id] if _ids(workout_id, set_id):
            return UndoSet(int(workout_id), int(set_id))
        case ["m", workout_id, step, "30"] if _ids(workout_id, step):
            return RestMore(int(workout_id), int(step))
        case ["m", workout_id, step, "skip"] if _ids(workout_id, step):
            return RestSkip(int(workout_id), int(step))
        case ["q", exercise] if _WORD.match(exercise):
            return ShowCues(exercise)
        case ["c", workout_id, ("keep" | "discard") as choice] if _ids(workout_id):
            return StopWorkout(int(workout_id), keep=choice == "keep")
        case ["w", "go"]:
            return TrainAnyway()
        case ["w", "rest"]:
            return RestInstead()
        case ["r", "go"]:
            return StartFromReminder()
        case ["r", "pause", "off"]:
            return PauseReminders(None)
        case ["r", "pause", days] if re.match(r"^\d{1,3}$", days):
            return PauseReminders(int(days))
        case ["p", "chart"]:
            return ShowChart()
        case ["h", "p", page] if re.match(r"^\d{1,6}$", page):
            return ShowHistoryPage(int(page))
        case ["h", "w", workout_id] if _ids(workout_id):
            return ShowPastWorkout(int(workout_id))
        case ["d", "yes", asked] if _ids(asked):
            return EraseEverything(int(asked))
        case ["d", "no"]:
            return KeepData()
        case ["l", tag] if re.match(r"^[a-z]{2}(?:_[A-Z]{2})?$", tag):
            return ChooseLanguage(tag)
        case ["o", kind, *raw] if _WORD.match(kind) and raw:
            return Setting(kind, ":".join(raw))
    return None


Context = ContextTypes.DEFAULT_TYPE
Handler = Callable[[Update, Context, Any], Awaitable[None]]


def dispatcher(
    routes: Mapping[type[Button], Handler],
) -> Callable[[Update, Context], Coroutine[Any, Any, None]]:
    """One callback for every button: decode once, then the one handler for that kind."""

    async def dispatch(update: Update, context: Context) -> None:
        query = update.callback_query
        assert query is not None
        button = decode(query.data or "")
        handler = routes.get(type(button)) if button is not None else None
        if handler is None:
            await query.answer(_("That button has expired."))
            return
        await handler(update, context, button)

    return dispatch
