"""The word lists mention finding reads (``data/mentions/``), loaded once."""

from __future__ import annotations

from kg.extract.lexicon import word_set

DETERMINERS = word_set("mentions/determiners.txt")
REPORTING_WORDS = word_set("mentions/reporting_words.txt")
FUNCTION_WORDS = word_set("mentions/function_words.txt")
HEDGED_OPENERS = word_set("mentions/hedged_openers.txt")  # suspected, alleged, armed, ...
LOCATIVE_PREPS = word_set("mentions/locative_preps.txt")
WORD_TITLES = word_set("mentions/word_titles.txt")
NAME_PART_PLACE_NOUNS = word_set("mentions/name_part_place_nouns.txt")
COLLECTIVE_SINGULAR_HEADS = word_set("mentions/collective_singular_heads.txt")
GENERIC_INSTITUTION_WORDS = word_set("mentions/generic_institution_words.txt")
DESCRIPTOR_HEADS = word_set("mentions/descriptor_heads.txt")
SOURCE_SINGULARS = word_set("mentions/source_singulars.txt")
