"""Typed sets that could mean two things are asked about before anything is logged.

`3x10` is gym shorthand for 3 sets of 10, and a set reply for 3 reps at 10 kg; a load far from
the one the user was at is more often a slip than a change. The question's buttons carry the
whole answer (workout, step, reps, load), so it survives a restart and goes stale like any
other button once the workout moves on.
"""

from __future__ import annotations

from decimal import Decimal
from functools import partial
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot import i18n
from bot.chat import buttons, workout
from bot.chat.buttons import LogCheckedSet, LogSetsOf
from bot.chat.common import coach, drop_buttons, now
from bot.chat.loads import format_load, load_text, loadable
from bot.domain.replies import SetReply, SetsOfReps, far_off, parse_set_reply, sets_of_reps
from bot.domain.units import GRAMS_PER_KG, MAX_LOAD_GRAMS, Unit, to_grams
from bot.domain.workout import Stage
from bot.i18n import _
from bot.services import workout as service
from bot.services.conversation import Conversation
from bot.services.profile import Kit, kit_of
from bot.services.workout import Reply, SetInput, SetStored
from bot.storage.models import Workout


def _key(label: str, button: buttons.Button) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(label, callback_data=buttons.encode(button))]


def _sets_or_load(
    text: str, shorthand: SetsOfReps, kit: Kit, row: Workout
) -> tuple[str, InlineKeyboardMarkup]:
    """`3x10`: 3 sets of 10 at the current load, or one set of 3 reps at 10?"""
    sets, reps, at = shorthand.sets, shorthand.reps, (row.id, row.step)
    as_load = to_grams(Decimal(reps), kit.unit)
    one_load = format_load(as_load, kit.unit)
    one_set = _key(
        _("%(reps)s reps at %(load)s", reps=sets, load=one_load),
        LogCheckedSet(*at, sets, None, as_load),
    )
    typed = f"<code>{escape(text.strip())}</code>"
    if row.load_grams is None:  # no load yet: sets of 10 would need one
        return (
            _(
                "%(typed)s: one set of %(reps)s reps at %(load)s? For %(sets)s sets of "
                "%(each)s, send each set with its load, like <code>%(each)s x 20</code>.",
                typed=typed,
                reps=sets,
                load=one_load,
                sets=sets,
                each=reps,
            ),
            InlineKeyboardMarkup([one_set]),
        )
    current = load_text(row.load_grams, kit, row.exercise)
    return (
        _(
            "%(typed)s: %(sets)s sets of %(each)s reps at %(current)s, or one set of %(reps)s "
            "reps at %(load)s?",
            typed=typed,
            sets=sets,
            each=reps,
            current=current,
            reps=sets,
            load=one_load,
        ),
        InlineKeyboardMarkup(
            [
                _key(
                    _("%(sets)s sets of %(each)s", sets=sets, each=reps),
                    LogSetsOf(*at, sets, reps),
                ),
                one_set,
            ]
        ),
    )


def ask_first(update: Update, talk: Conversation, text: str) -> workout.Send | None:
    """The question to ask before logging `text`, or None to log it as it stands."""
    row, user = talk.workout, talk.user
    if row is None or user is None or row.stage != Stage.SET.value:
        return None
    kit = kit_of(user)
    at = (row.id, row.step)
    shorthand = sets_of_reps(text)
    if shorthand is not None:
        return partial(workout.say, update, *_sets_or_load(text, shorthand, kit, row))
    parsed = parse_set_reply(text, words=i18n.current().words.reply)
    if not isinstance(parsed, SetReply) or parsed.load is None or row.load_grams is None:
        return None
    grams = to_grams(parsed.load, parsed.unit or kit.unit)
    if grams > MAX_LOAD_GRAMS or not far_off(grams, row.load_grams):
        return None
    typed = format_load(grams, kit.unit)
    usual_grams = loadable(row.load_grams, kit, row.exercise)  # as the user saw it
    usual = load_text(usual_grams, kit, row.exercise)
    question = _(
        "%(typed)s? That's far from the %(usual)s you were at. Which was it?",
        typed=typed,
        usual=usual,
    )
    other = parsed.reps_other_leg
    markup = InlineKeyboardMarkup(
        [
            _key(_("Log %(load)s", load=typed), LogCheckedSet(*at, parsed.reps, other, grams)),
            _key(
                _("It was %(load)s", load=format_load(usual_grams, kit.unit)),
                LogCheckedSet(*at, parsed.reps, other, usual_grams),
            ),
        ]
    )
    return partial(workout.say, update, question, markup)


async def tapped_sets_of(update: Update, context: workout.Context, button: LogSetsOf) -> None:
    query = update.callback_query
    assert query is not None
    async with workout.talking(update, context) as talk:
        reply = await service.log_sets(
            talk,
            button.reps,
            button.sets,
            now(),
            rest_seconds=coach(context).settings.rest_seconds,
            at=(button.workout_id, button.step),
        )
    if await _answered(update, reply):
        await workout.later(update, context, reply)()


async def _answered(update: Update, reply: Reply) -> bool:
    """The question is settled once its answer is logged: its buttons go. False for a stale
    tap, answered by a toast alone."""
    query = update.callback_query
    assert query is not None
    if workout.stale_tap(reply):
        await query.answer(_(workout.STALE_TOAST))
        return False
    await query.answer()
    if any(isinstance(effect, SetStored) for effect in reply.effects):
        await drop_buttons(update)
    return True


async def tapped_checked_set(
    update: Update, context: workout.Context, button: LogCheckedSet
) -> None:
    query = update.callback_query
    assert query is not None
    given = SetInput(
        reps=button.reps,
        reps_other_leg=button.reps_other_leg,
        load=Decimal(button.load_grams) / GRAMS_PER_KG,  # exact: grams are whole
        load_unit=Unit.KG,
    )
    async with workout.talking(update, context) as talk:
        reply = await service.log_set(
            talk,
            given,
            now(),
            rest_seconds=coach(context).settings.rest_seconds,
            at=(button.workout_id, button.step),
        )
    if await _answered(update, reply):
        await workout.later(update, context, reply)()
