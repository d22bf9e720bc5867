"""Find mentions of people, organisations, places and unnamed groups in a parsed document.

Starts from spaCy's entities and corrects them with general knowledge:

- spans are trimmed (articles, possessives, punctuation) and never cross a line break;
- titles and job titles are split off the name ("Major-General Aziz Karimov") or read from
  the words before it ("French interior minister Jean Dupont") and kept as job titles;
- demonyms ("Tajik"), religions, weapons ("Kalashnikovs") and titles alone are not entities;
- place nouns make places ("Batken region", "the Torkham border post", "the town of X",
  "X, a nearby region of Y"); organisation head words make organisations;
- well-known organisations and country-qualified state institutions ("the Kyrgyz security
  council", "Kyrgyzstan's Security Council") are found even when the model misses them;
- unnamed collectives ("five men", "the attackers", "some Tajik officials") become group
  mentions.

Every candidate carries weighted type votes; :mod:`kg.extract.coref` clusters the mentions and
settles each cluster's type by voting over all of them.

The modules, by job: :mod:`.candidates` (the candidate and its votes), :mod:`.finder` (the
entry point and the order of the rules), :mod:`.spans` (span hygiene), :mod:`.titles`,
:mod:`.places`, :mod:`.organisations`, :mod:`.people`, :mod:`.groups` (the rules), and
:mod:`.vocabulary` (the word lists, from ``data/mentions/``).
"""

from kg.extract.mentions.candidates import GROUP, ORG, PERSON, PLACE, Cand, name_key
from kg.extract.mentions.finder import MentionFinder

__all__ = ["GROUP", "ORG", "PERSON", "PLACE", "Cand", "MentionFinder", "name_key"]
