"""The word lists event finding reads (``data/events/``), loaded once."""

from __future__ import annotations

from kg.extract.lexicon import word_set, word_table

NUMBERS = {word: int(number) for word, number in word_table("events/numbers.tsv")}
ANAPHORS = word_set("events/anaphors.txt")
UMBRELLA = word_set("events/umbrella.txt")
DEATH_WORDS = word_set("events/death_words.txt")
INJURY_WORDS = word_set("events/injury_words.txt")
FORCE_NOUNS = word_set("events/force_nouns.txt")
MILITARY_TITLES = word_set("events/military_titles.txt")
PLACE_PREPS = word_set("events/place_preps.txt")
HYPOTHETICAL = word_set("events/hypothetical.txt")
HYPOTHETICAL_MODIFIERS = word_set("events/hypothetical_modifiers.txt")
STOP_CLIMB = word_set("events/stop_climb.txt")
TAKE = word_set("events/take.txt")
BLOW = word_set("events/blow.txt")
VIOLENCE_WORDS = word_set("events/violence_words.txt")
MASS_EVENTS = word_set("events/mass_events.txt")
HABITUAL = word_set("events/habitual.txt")
RECENT = word_set("events/recent.txt")
