"""The coach's rules, free of chat, storage and clocks.

Everything here is pure: callers pass `today`/`now`, loads are whole grams, and reasons come
back as enums plus data so the chat layer can word them.
"""
