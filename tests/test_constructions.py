"""Claims from the constructions of news language, one table row per construction, run through
the real model on sentences written for these tests (names, groups and places invented).

Each row: the text, the claims that must be extracted (subject, relation, object, modality,
speaker; speaker None is the narrator), and claims that must not be.
"""

from __future__ import annotations

import pytest

from kg.sources import article_from_text


def extract(extractor, text, published="2014-05-20"):
    return extractor.extract(article_from_text(text, {"published": published}, "t"))


def claims(ex):
    names = {e.id: e.name for e in ex.entities}
    events = {v.id: "event" for v in ex.events}
    out = set()
    for c in ex.claims:
        obj = names.get(c.object) or events.get(c.object) or c.object
        out.add((names[c.subject], c.relation.value, obj, c.modality.value, names.get(c.speaker) if c.speaker else None))
    return out


ROLES = [
    # roles with the organisation in a possessive or prepositional phrase
    ("The Northern Front said it had withdrawn. The group's spokesman, Ahmed Salim, said the fighters were safe.",
     [("Ahmed Salim", "memberOf", "Northern Front", "asserted", None)]),
    ("Karim Dosov, a senior commander of the Northern Front, was killed on Monday.",
     [("Karim Dosov", "headOf", "Northern Front", "asserted", None)]),
    ("The Northern Front's political leader Musa Kadir denied the report.",
     [("Musa Kadir", "headOf", "Northern Front", "asserted", None)]),
    # "one of its commanders, X": the role of the set X is picked from
    ("The Northern Front said one of its commanders, Karim Dosov, had been killed.",
     [("Karim Dosov", "headOf", "Northern Front", "asserted", "Northern Front")]),
    ("Police said one of the Northern Front's members, Karim Dosov, was arrested on Monday.",
     [("Karim Dosov", "memberOf", "Northern Front", "asserted", "Police")]),
    # a role or involvement in a group is membership of it
    ("Karim Dosov was sentenced to ten years for his role in the Northern Front.",
     [("Karim Dosov", "memberOf", "Northern Front", "alleged", None)]),
    # leaving for another group, being expelled
    ("Karim Dosov defected from the Northern Front to the Eastern Brigade in 2012.",
     [("Karim Dosov", "formerMemberOf", "Northern Front", "asserted", None),
      ("Karim Dosov", "memberOf", "Eastern Brigade", "asserted", None)]),
    ("The Northern Front expelled Karim Dosov from its ranks last year.",
     [("Karim Dosov", "formerMemberOf", "Northern Front", "asserted", None)]),
    ("Karim Dosov was expelled from the Northern Front in May last year.",
     [("Karim Dosov", "formerMemberOf", "Northern Front", "asserted", None)]),
    # a hyphenated role is one role
    ("Karim Dosov, the Northern Front's second-in-command, was arrested on Monday.",
     [("Karim Dosov", "headOf", "Northern Front", "asserted", None)]),
    ("Karim Dosov, the commander-in-chief of the Northern Front, was arrested on Monday.",
     [("Karim Dosov", "headOf", "Northern Front", "asserted", None)]),
    ("Yusuf Ali, who heads the Eastern Brigade, told reporters the town had fallen.",
     [("Yusuf Ali", "headOf", "Eastern Brigade", "asserted", None)]),
    ("Sara Lind has worked for the Daily Courier as a reporter since 2010.",
     [("Sara Lind", "memberOf", "Daily Courier", "asserted", None)]),
    ("Police said the ringleader of the Valley Brigade, Omar Tal, was arrested.",
     [("Omar Tal", "headOf", "Valley Brigade", "asserted", "Police")]),
    ("Valley Brigade chief Omar Tal was arrested on Friday.",
     [("Omar Tal", "headOf", "Valley Brigade", "asserted", None)]),
    ("The Valley Brigade is led by Omar Tal, a former teacher.",
     [("Omar Tal", "headOf", "Valley Brigade", "asserted", None)]),
    ("The Valley Brigade was founded in 2009 by Omar Tal and Ali Noor.",
     [("Omar Tal", "headOf", "Valley Brigade", "asserted", None), ("Ali Noor", "headOf", "Valley Brigade", "asserted", None)]),
    # whoever replaces the head is the head now
    ("Omar Tal was replaced as head of the Valley Front by Ali Noor.",
     [("Ali Noor", "headOf", "Valley Front", "asserted", None)]),
    # more role nouns of news language: negotiators, figures, officials
    ("Omar Tal, the Valley Front's chief negotiator, arrived in Lowa.",
     [("Omar Tal", "memberOf", "Valley Front", "asserted", None)]),
    ("Ali Noor and Omar Tal, both senior figures in the Valley Front, were killed.",
     [("Ali Noor", "memberOf", "Valley Front", "asserted", None), ("Omar Tal", "memberOf", "Valley Front", "asserted", None)]),
    ("Omar Tal, a senior official in the Valley Front, was killed.",
     [("Omar Tal", "memberOf", "Valley Front", "asserted", None)]),
    # the founding as a noun, founders unnamed, "created"
    ("The Valley Front has fought the government since its 1990 founding by Omar Tal.",
     [("Omar Tal", "headOf", "Valley Front", "asserted", None)]),
    ("The creation of the Valley Front by Ali Noor and Omar Tal in 1990 shocked the region.",
     [("Ali Noor", "headOf", "Valley Front", "asserted", None), ("Omar Tal", "headOf", "Valley Front", "asserted", None)]),
    ("The Valley Front was founded by exiled students in 1990.",
     [("exiled students", "headOf", "Valley Front", "asserted", None)]),
    ("Omar Tal created the Valley Front after the war.",
     [("Omar Tal", "headOf", "Valley Front", "asserted", None)]),
    ("Omar Tal, a member of the Valley Brigade, was detained.",
     [("Omar Tal", "memberOf", "Valley Brigade", "asserted", None)]),
    ("Omar Tal served as deputy leader of the Valley Brigade.",
     [("Omar Tal", "memberOf", "Valley Brigade", "asserted", None)]),
    ("Omar Tal succeeded Ali Noor as head of the Valley Brigade.",
     [("Omar Tal", "headOf", "Valley Brigade", "asserted", None)]),
    ("Omar Tal, an ideologue of the Valley Brigade, was killed.",
     [("Omar Tal", "memberOf", "Valley Brigade", "asserted", None)]),
    ("Omar Tal left the Valley Brigade in 2010.",
     [("Omar Tal", "formerMemberOf", "Valley Brigade", "asserted", None)]),
    ("Omar Tal, a former member of the Valley Brigade, joined the Eastern Front in 2010.",
     [("Omar Tal", "formerMemberOf", "Valley Brigade", "asserted", None),
      ("Omar Tal", "memberOf", "Eastern Front", "asserted", None)]),
    ("Ali Noor, professor of history at the University of Kandar, told reporters the war was over.",
     [("Ali Noor", "memberOf", "University of Kandar", "asserted", None)]),
    ("Kim Song-chol, executive director of the Centre for Peace Studies, spoke on Monday.",
     [("Kim Song-chol", "headOf", "Centre for Peace Studies", "asserted", None)]),
    # names the model misses, found by their head word ("Cartel", "Front")
    ("The Valley Cartel, led by Omar Tal, controls the port.",
     [("Omar Tal", "headOf", "Valley Cartel", "asserted", None)]),
    ("The Valley Cartel, whose leader Omar Tal was arrested last year, controls the port.",
     [("Omar Tal", "headOf", "Valley Cartel", "asserted", None)]),
    ("Authorities identified the suspect as Omar Tal, 32, a member of the Valley Cartel.",
     [("Omar Tal", "memberOf", "Valley Cartel", "asserted", "Authorities")]),
    ("Omar Tal heads a faction of the Valley Cartel.",
     [("Omar Tal", "memberOf", "Valley Cartel", "asserted", None)]),
    ("The Valley Cartel is an offshoot of the Eastern Cartel.",
     [("Valley Cartel", "formerMemberOf", "Eastern Cartel", "asserted", None)]),
    # a title after a possessive and a noun ("operations commander"), or right after the name
    ("The Valley Brigade's operations commander Omar Tal was arrested.",
     [("Omar Tal", "headOf", "Valley Brigade", "asserted", None)]),
    ("We deny it, VBF leader-in-exile Omar Tal told reporters.",
     [("Omar Tal", "headOf", "VBF", "asserted", None)]),
    # the name in apposition to the group of a role phrase: "the ringleader of the group Y, X"
    ("Police say the ringleader of the militant group Valley Front, Ali Noor, was arrested.",
     [("Ali Noor", "headOf", "Valley Front", "asserted", "Police")]),
    # a noun that names a person: "a rebel known as X"
    ("The Valley Front is led by a rebel known as Ali Noor.",
     [("Ali Noor", "headOf", "Valley Front", "asserted", None)]),
    # the organisation's acronym in brackets between its name and the title
    ("The men were armed, State Security Service (SSS) spokesman Omar Tal told reporters.",
     [("Omar Tal", "memberOf", "State Security Service", "asserted", None)]),
    ("The men fled, Valley Brigade (VB) investigator Ali Noor said.",
     [("Ali Noor", "memberOf", "Valley Brigade", "asserted", None)]),
    # an acronym the article uses without brackets, before a member noun and in a role phrase
    ("The Valley Brigade Front (VBF) took the town. Omar Tal, a spokesman of VBF, said VBF fighters had won.",
     [("Omar Tal", "memberOf", "Valley Brigade Front", "asserted", None)]),
]

COORDINATION = [
    ("Omar Bek, Ali Noor and Hasan Tal, all members of the Eastern Brigade, were arrested on Friday.",
     [("Omar Bek", "memberOf", "Eastern Brigade", "asserted", None), ("Ali Noor", "memberOf", "Eastern Brigade", "asserted", None),
      ("Hasan Tal", "memberOf", "Eastern Brigade", "asserted", None)]),
    ("The court named Omar Bek and Ali Noor as leaders of the Eastern Brigade.",
     [("Omar Bek", "headOf", "Eastern Brigade", "asserted", None), ("Ali Noor", "headOf", "Eastern Brigade", "asserted", None)]),
    # nicknames in quotes break the parse of the list, and are no quotation (no speaker)
    ('Police said the port was calm. Marines arrested Omar Bek aka "Rabbit" and Ali Noor aka "Fox," members of the '
     'Valley Cartel, in Lowa.',
     [("Omar Bek", "memberOf", "Valley Cartel", "asserted", None), ("Ali Noor", "memberOf", "Valley Cartel", "asserted", None)]),
    ("Police said the port was calm. Marines arrested Omar Bek aka “Rabbit\" and Ali Noor aka “Fox,” members of the "
     "Valley Cartel, in Lowa.",
     [("Omar Bek", "memberOf", "Valley Cartel", "asserted", None), ("Ali Noor", "memberOf", "Valley Cartel", "asserted", None)]),
]

CHARGES = [
    # the charged one faces, denies the charges
    ("Omar Tal faces charges of belonging to the Valley Front.",
     [("Omar Tal", "memberOf", "Valley Front", "alleged", None)]),
    ("Omar Tal denied charges of belonging to the Valley Front.",
     [("Omar Tal", "memberOf", "Valley Front", "denied", "Omar Tal")]),
    ("A court in Kandar jailed 32 suspected Islamists on Friday for membership of the banned Eastern Brigade.",
     [("32 suspected Islamists", "memberOf", "Eastern Brigade", "alleged", None)]),
    ("Security forces killed five suspected militants belonging to the Eastern Brigade on Monday.",
     [("five suspected militants", "memberOf", "Eastern Brigade", "alleged", None)]),
    ("Five men were sentenced on Monday for allegedly belonging to the Eastern Brigade.",
     [("Five men", "memberOf", "Eastern Brigade", "alleged", None)]),
    ("Prosecutors charged Omar Bek with membership in the Eastern Brigade.",
     [("Omar Bek", "memberOf", "Eastern Brigade", "alleged", "Prosecutors")]),
    ("Omar Bek was arrested on charges of belonging to the Eastern Brigade.",
     [("Omar Bek", "memberOf", "Eastern Brigade", "alleged", None)]),
    ("Police detained three suspected members of the Eastern Brigade on Friday.",
     [("three suspected members", "memberOf", "Eastern Brigade", "alleged", None)]),
    ("Omar Bek is accused of setting up the Eastern Brigade.",
     [("Omar Bek", "headOf", "Eastern Brigade", "alleged", None)]),
]

DENIALS = [
    # a part, a hand, a role: in the deed, on the noun or on the light verb; distancing oneself
    ("Gunmen attacked a bus in Kandar on Monday. The Valley Front said it had no part in the attack.",
     [("Valley Front", "responsibleFor", "event", "denied", "Valley Front")]),
    ("Gunmen attacked a bus in Kandar on Monday. The Valley Front said it had no hand in the attack.",
     [("Valley Front", "responsibleFor", "event", "denied", "Valley Front")]),
    ("Gunmen attacked a bus in Kandar on Monday. The Valley Front distanced itself from the attack.",
     [("Valley Front", "responsibleFor", "event", "denied", "Valley Front")]),
    ("Gunmen attacked a bus in Kandar on Monday. Omar Tal took part in the attack.",
     [("Omar Tal", "responsibleFor", "event", "asserted", None)]),
    ("Gunmen attacked a bus in Kandar on Monday. Police said Omar Tal played a key role in the attack.",
     [("Omar Tal", "responsibleFor", "event", "asserted", "Police")]),
    ("Omar Bek says the charges of membership in the Eastern Brigade are politically motivated.",
     [("Omar Bek", "memberOf", "Eastern Brigade", "denied", "Omar Bek")]),
    ("Omar Bek has nothing to do with the Eastern Brigade, his lawyer Ali Noor said.",
     [("Omar Bek", "memberOf", "Eastern Brigade", "denied", "Ali Noor")]),
    ("Omar Bek rejected the accusation that he belonged to the Eastern Brigade.",
     [("Omar Bek", "memberOf", "Eastern Brigade", "denied", "Omar Bek")]),
    ("Omar Bek is not a member of the Eastern Brigade.",
     [("Omar Bek", "memberOf", "Eastern Brigade", "denied", None)]),
    # the lawyer as the unnamed speaker of a denial
    ("Omar Tal had never been a member of the Valley Front, his lawyer said.",
     [("Omar Tal", "memberOf", "Valley Front", "denied", "lawyer")]),
    ("The defendants were members of the Valley Front, a prosecutor said.",
     [("defendants", "memberOf", "Valley Front", "asserted", "prosecutor")]),
    # a phrasal denial verb: "ruled out"
    ("Interior Minister Sami Ras had on Thursday ruled out the involvement of the Valley Front in the attack.",
     [("Valley Front", "responsibleFor", "event", "denied", "Sami Ras")]),
]

SPEAKERS = [
    # a reduced passive after the name is hearsay, not the named man speaking
    ("Omar Tal, said to be a commander of the Valley Front, was killed.",
     [("Omar Tal", "headOf", "Valley Front", "alleged", None)]),
    # the relative pronoun did it; the reporting verb's subject says so
    ("Gunmen attacked a bus in Kandar on Monday. The Valley Front, which police say carried out the attack, has a "
     "base in the hills.", [("Valley Front", "responsibleFor", "event", "asserted", "police")]),
    # "quoted as saying": the one quoted, not the one quoting
    ("Omar Tal was quoted as saying that the gunmen belonged to the Valley Front.",
     [("gunmen", "memberOf", "Valley Front", "asserted", "Omar Tal")]),
    ("The gunmen were members of the Valley Front, the agency quoted Omar Tal as saying.",
     [("gunmen", "memberOf", "Valley Front", "asserted", "Omar Tal")]),
    ("The gunmen were members of the Valley Front, state television reported.",
     [("gunmen", "memberOf", "Valley Front", "asserted", "state television")]),
    ("According to police chief Ali Noor, Omar Bek belonged to the Eastern Brigade.",
     [("Omar Bek", "memberOf", "Eastern Brigade", "asserted", "Ali Noor")]),
    ("Omar Bek was a member of the Eastern Brigade, a security source told the Daily Courier.",
     [("Omar Bek", "memberOf", "Eastern Brigade", "asserted", "security source")]),
    ("Police chief Ali Noor spoke to reporters. He said Omar Bek belonged to the Eastern Brigade.",
     [("Omar Bek", "memberOf", "Eastern Brigade", "asserted", "Ali Noor")]),
    ("Police chief Ali Noor spoke to reporters on Monday. Noor said Omar Bek belonged to the Eastern Brigade.",
     [("Omar Bek", "memberOf", "Eastern Brigade", "asserted", "Ali Noor")]),
    ("“Omar Bek was a member of the Eastern Brigade,” said Ali Noor, the police chief.",
     [("Omar Bek", "memberOf", "Eastern Brigade", "asserted", "Ali Noor")]),
    ("Officials said Omar Bek belonged to the Eastern Brigade.",
     [("Omar Bek", "memberOf", "Eastern Brigade", "asserted", "Officials")]),
    ("A bomb exploded in Kandar. The country's defence minister said Omar Bek belonged to the Eastern Brigade.",
     [("Omar Bek", "memberOf", "Eastern Brigade", "asserted", "defence minister")]),
    ("Interior Minister Ali Noor visited Kandar. The minister said Omar Bek belonged to the Eastern Brigade.",
     [("Omar Bek", "memberOf", "Eastern Brigade", "asserted", "Ali Noor")]),
]

MORE = [
    ("Al-Wadi, which is affiliated with the Valley Front, said its fighters attacked the base.",
     [("Al-Wadi", "linkedTo", "Valley Front", "asserted", None)]),
    ("A bomb exploded in Kandar on Monday. The attack bore the hallmarks of the Eastern Brigade.",
     [("Eastern Brigade", "responsibleFor", "event", "alleged", None)]),
    ("The Eastern Brigade, an offshoot of the Valley Front, took the town.",
     [("Eastern Brigade", "formerMemberOf", "Valley Front", "asserted", None)]),
    ("The Eastern Brigade is a splinter group of the Valley Front.",
     [("Eastern Brigade", "formerMemberOf", "Valley Front", "asserted", None)]),
    ("Omar Bek, who is believed to lead the Eastern Brigade, was arrested.",
     [("Omar Bek", "headOf", "Eastern Brigade", "alleged", None)]),
    ("Omar Bek, a suspected member of the Eastern Brigade, was arrested.",
     [("Omar Bek", "memberOf", "Eastern Brigade", "alleged", None)]),
    ("Omar Bek, who police say heads the Eastern Brigade, was arrested.",
     [("Omar Bek", "headOf", "Eastern Brigade", "asserted", "police")]),
    ("The Eastern Brigade said Omar Bek was not one of its members.",
     [("Omar Bek", "memberOf", "Eastern Brigade", "denied", "Eastern Brigade")]),
    ("Omar Bek denied being a member of the Eastern Brigade.",
     [("Omar Bek", "memberOf", "Eastern Brigade", "denied", "Omar Bek")]),
    ("Omar Bek denied any links to the Eastern Brigade.",
     [("Omar Bek", "linkedTo", "Eastern Brigade", "denied", "Omar Bek")]),
    ("Omar Bek, who defected from the Eastern Brigade in 2015, was arrested.",
     [("Omar Bek", "formerMemberOf", "Eastern Brigade", "asserted", None)]),
    ("Omar Bek is thought to be a member of the Eastern Brigade.",
     [("Omar Bek", "memberOf", "Eastern Brigade", "alleged", None)]),
    ("Police arrested two men suspected of belonging to the Eastern Brigade.",
     [("two men", "memberOf", "Eastern Brigade", "alleged", None)]),
    ("The Valley Front has pledged allegiance to the Eastern Brigade.",
     [("Valley Front", "memberOf", "Eastern Brigade", "asserted", None)]),
    ("Omar Bek was recruited by the Eastern Brigade in 2012.",
     [("Omar Bek", "memberOf", "Eastern Brigade", "asserted", None)]),
    ("Claudia Weber of the Institute for Peace Studies said the talks had failed.",
     [("Claudia Weber", "memberOf", "Institute for Peace Studies", "asserted", None)]),
]

ALLIANCES = [
    ("The Eastern Brigade and the Valley Front are allies.",
     [("Eastern Brigade", "alliedWith", "Valley Front", "asserted", None)]),
    ("The Eastern Brigade has joined forces with the Valley Front.",
     [("Eastern Brigade", "alliedWith", "Valley Front", "asserted", None)]),
    ("The Eastern Brigade, backed by the Valley Front, attacked the town.",
     [("Eastern Brigade", "alliedWith", "Valley Front", "asserted", None)]),
    ("The Eastern Brigade fought alongside the Valley Front in the south.",
     [("Eastern Brigade", "alliedWith", "Valley Front", "asserted", None)]),
    ("The Eastern Brigade and the Valley Front formed an alliance in 2015.",
     [("Eastern Brigade", "alliedWith", "Valley Front", "asserted", None)]),
    ("The Eastern Brigade is part of the Valley Front.",
     [("Eastern Brigade", "subOrganizationOf", "Valley Front", "asserted", None)]),
    ("The Eastern Brigade, which operates under the umbrella of the Valley Front, took the town.",
     [("Eastern Brigade", "subOrganizationOf", "Valley Front", "asserted", None)]),
    ("The Valley Front is a jihadist alliance that includes the Eastern Brigade.",
     [("Eastern Brigade", "subOrganizationOf", "Valley Front", "asserted", None)]),
    ("The Valley Front, which includes the Eastern Brigade, took the town.",
     [("Eastern Brigade", "subOrganizationOf", "Valley Front", "asserted", None)]),
]

UNNAMED = [
    # unnamed collectives that are said to belong, by whom
    ("The detainees are accused of being members of the Valley Front, prosecutors said.",
     [("detainees", "memberOf", "Valley Front", "alleged", "prosecutors")]),
    ("The victims were members of the Eastern Brigade, a local official said.",
     [("victims", "memberOf", "Eastern Brigade", "asserted", "local official")]),
    ("Relatives said the men had no links to the Valley Front.",
     [("men", "linkedTo", "Valley Front", "denied", "Relatives")]),
    ("Security forces detained three alleged Valley Front fighters in Kandar.",
     [("fighters", "memberOf", "Valley Front", "alleged", None)]),
    ('Gunmen killed five soldiers in Kandar on Monday. "We carried out the attack," said Ali Noor, a spokesman for '
     'the Valley Front.', [("Valley Front", "responsibleFor", "event", "asserted", "Ali Noor")]),
    ('Gunmen killed five soldiers in Kandar on Monday. "Our fighters carried out the operation," said Ali Noor, a '
     'spokesman for the Valley Front.', [("Valley Front", "responsibleFor", "event", "asserted", "Ali Noor")]),
    ("Gunmen killed five soldiers in Kandar on Monday. Ali Noor, a spokesman for the Valley Front, told Reuters the "
     "group carried out the attack.", [("Valley Front", "responsibleFor", "event", "asserted", "Ali Noor")]),
    ("Gunmen killed five soldiers in Kandar on Monday. The Taliban carried out the attack, the state news agency "
     "reported.", [("The Taliban", "responsibleFor", "event", "asserted", "state news agency")]),
    ("Gunmen killed five soldiers in Kandar on Monday. The governor, Omar Tal, blamed the Valley Front.",
     [("Valley Front", "responsibleFor", "event", "alleged", "Omar Tal")]),
    ("Gunmen killed five soldiers in Kandar on Monday. The Valley Front, in a statement, denied involvement.",
     [("Valley Front", "responsibleFor", "event", "denied", "Valley Front")]),
    ("The Valley Front said its fighters had killed 12 soldiers in an attack on an army base in Kandar.",
     [("Valley Front", "responsibleFor", "event", "asserted", "Valley Front")]),
    ("Police said suspected Valley Front gunmen killed five villagers in Kandar.",
     [("Valley Front", "responsibleFor", "event", "alleged", "Police")]),
    ("Rebels abducted six people in Kandar on Sunday, an army spokesman said.",
     [("Rebels", "responsibleFor", "event", "asserted", "army spokesman")]),
    ("Omar Tal, who police say belongs to the Valley Front, was arrested.",
     [("Omar Tal", "memberOf", "Valley Front", "asserted", "police")]),
    # a pronoun subject continues the earlier subject, not the speaker named after the clause
    ("Five gunmen attacked a police post in Kandar on Monday. They are citizens of Lowa and members of the Valley "
     "Front, an official said.", [("Five gunmen", "memberOf", "Valley Front", "asserted", "official")]),
    # an investigation as the unnamed source of what it suggests
    ("Two men were arrested on Friday as preliminary investigations suggested that the Valley Front had "
     "carried out the assault.",
     [("Valley Front", "responsibleFor", "event", "alleged", "preliminary investigations")]),
    ("Omar Tal was arrested on suspicion of membership in the Valley Front.",
     [("Omar Tal", "memberOf", "Valley Front", "alleged", None)]),
]

NESTING = [
    ("Omar Bek, the son of the former head of the Eastern Brigade who became a member of the Valley Front, was "
     "arrested.", [("Omar Bek", "memberOf", "Valley Front", "asserted", None)]),
    ("Ali Noor said police believe the men belonged to the Eastern Brigade.",
     [("men", "memberOf", "Eastern Brigade", "alleged", "Ali Noor")]),
]

RESPONSIBILITY = [
    ("A bomb exploded at a market in Kandar on Monday. The Free Hills Front claimed responsibility for the attack in "
     "a statement posted by its Tawil news agency.",
     [("Free Hills Front", "responsibleFor", "event", "asserted", "Free Hills Front"),
      ("Tawil", "subOrganizationOf", "Free Hills Front", "asserted", None)]),
    ("A bomb exploded in Kandar on Monday. The attack was claimed by the Free Hills Front.",
     [("Free Hills Front", "responsibleFor", "event", "asserted", "Free Hills Front")]),
    ("Gunmen attacked a military base in Kandar on Sunday. The Free Hills Front said it had carried out the attack.",
     [("Free Hills Front", "responsibleFor", "event", "asserted", "Free Hills Front")]),
    ("A suicide bomber killed five people in Kandar on Monday. Police said the bomber was a member of the Eastern "
     "Brigade.", [("suicide bomber", "memberOf", "Eastern Brigade", "asserted", "Police")]),
    ("Omar Bek, the leader of the Eastern Brigade, said his fighters had carried out the bombing in Kandar.",
     [("Omar Bek", "responsibleFor", "event", "asserted", "Omar Bek")]),
    ("Gunmen attacked a police post in Kandar on Monday. The Free Hills Front claimed responsibility for the attack.",
     [("Free Hills Front", "responsibleFor", "event", "asserted", "Free Hills Front")]),
    ("Gunmen attacked a police post in Kandar on Monday. Free Hills Front rebels denied any role in the attack.",
     [("Free Hills Front", "responsibleFor", "event", "denied", "Free Hills Front")]),
    ("A bomb exploded in Kandar on Monday. Police blamed the Free Hills Front for the bombing.",
     [("Free Hills Front", "responsibleFor", "event", "alleged", "Police")]),
    ("A bomb killed five people in Kandar on Monday. Police suspect the Free Hills Front.",
     [("Free Hills Front", "responsibleFor", "event", "alleged", "Police")]),
    ("A bomb killed five people in Kandar on Monday. Officials said the Free Hills Front was likely responsible.",
     [("Free Hills Front", "responsibleFor", "event", "alleged", "Officials")]),
    ("The Free Hills Front is active in Kandar. A bomb killed five people in Kandar on Monday. A Free Hills Front "
     "spokesman said the group was responsible.",
     [("Free Hills Front", "responsibleFor", "event", "asserted", "Free Hills Front")]),
    ("A bomb killed five people in Kandar on Monday. A spokesman for the Free Hills Front said the group was "
     "responsible.", [("Free Hills Front", "responsibleFor", "event", "asserted", "spokesman")]),
    ("A bomb killed five people in Kandar on Monday. The Free Hills Front said it was not responsible for the attack.",
     [("Free Hills Front", "responsibleFor", "event", "denied", "Free Hills Front")]),
    ("A bomb killed five people in Kandar on Monday. Officials attributed the attack to the Free Hills Front.",
     [("Free Hills Front", "responsibleFor", "event", "alleged", "Officials")]),
    ("A bomb killed five people in Kandar on Monday. The attack was blamed on the Free Hills Front.",
     [("Free Hills Front", "responsibleFor", "event", "alleged", None)]),
    ("Suspected Free Hills Front militants killed five soldiers in Kandar on Monday, police said.",
     [("Free Hills Front", "responsibleFor", "event", "alleged", "police")]),
    ("Kandar has seen a spate of bombings this month that the government blames on Free Hills Front rebels.",
     [("Free Hills Front", "responsibleFor", "event", "alleged", "government")]),
    ("A bomb killed five people in Kandar on Monday. The government blamed the attack on the Free Hills Front.",
     [("Free Hills Front", "responsibleFor", "event", "alleged", "government")]),
    ("Gunmen killed five soldiers in Kandar. The government blamed the Free Hills Front on Monday for the attack.",
     [("Free Hills Front", "responsibleFor", "event", "alleged", "government")]),
    ("The region has seen a spate of attacks that the government blames on Free Hills Front rebels.",
     [("Free Hills Front", "responsibleFor", "event", "alleged", "government")]),
    ("A bomb exploded in Kandar on Monday. Officials pointed a finger at the Free Hills Front.",
     [("Free Hills Front", "responsibleFor", "event", "alleged", "Officials")]),
    # a side named by its people is a group of its own, not the bomber of the incident
    ("A suicide bomber killed five people in Kandar on Monday. Officials blamed Kurdish separatists for the attack.",
     [("Kurdish separatists", "responsibleFor", "event", "alleged", "Officials")]),
    ("A bomb killed five people in Kandar on Monday. Officials pointed a finger at Kurdish separatists.",
     [("Kurdish separatists", "responsibleFor", "event", "alleged", "Officials")]),
    ("Gunmen attacked a convoy in Kandar on Monday. Omar Bek was one of nine plotters of the attack, police said.",
     [("Omar Bek", "responsibleFor", "event", "asserted", "police")]),
    ("Gunmen attacked a convoy on Monday. The army said the attack was carried out by the Free Hills Front.",
     [("Free Hills Front", "responsibleFor", "event", "asserted", "army")]),
    ("Gunmen attacked a convoy on Monday. Authorities accused militants led by Omar Bek of carrying out the attack.",
     [("Omar Bek", "responsibleFor", "event", "alleged", "Authorities")]),
    # owning up, in other words, and in a relative clause
    ("The Valley Front took responsibility for the bombing in Kandar on Monday that killed five people.",
     [("Valley Front", "responsibleFor", "event", "asserted", "Valley Front")]),
    ("The bombing in Kandar, for which the Valley Front claimed responsibility, killed five people.",
     [("Valley Front", "responsibleFor", "event", "asserted", "Valley Front")]),
    ("A bomb exploded in Kandar on Monday, killing five people, in an attack claimed by the Valley Front.",
     [("Valley Front", "responsibleFor", "event", "asserted", "Valley Front")]),
    # a court's finding, and the suspicion an arrest is made on
    ("Omar Tal was found guilty of masterminding the attacks on two mosques in Lowa in May.",
     [("Omar Tal", "responsibleFor", "event", "asserted", None)]),
    ("Omar Tal pleaded guilty to the bombing of a mosque in Lowa in May.",
     [("Omar Tal", "responsibleFor", "event", "asserted", None)]),
    ("A court sentenced Omar Tal to death for the bombing of a mosque in Lowa in May.",
     [("Omar Tal", "responsibleFor", "event", "asserted", None)]),
    ("Omar Tal was found not guilty of the bombing of a mosque in Lowa in May.",
     [("Omar Tal", "responsibleFor", "event", "denied", None)]),
    ("Authorities said they were seeking to arrest Omar Tal on suspicion of involvement in the convoy attack.",
     [("Omar Tal", "responsibleFor", "event", "alleged", "Authorities")]),
    ("Authorities have pinned the killing of the governor on a group headed by Omar Tal.",
     [("Omar Tal", "responsibleFor", "event", "alleged", "Authorities")]),
]

STRUCTURE = [
    ("The Tawhid Front, the Eastern Brigade's northern wing, took the town.",
     [("Tawhid Front", "subOrganizationOf", "Eastern Brigade", "asserted", None)]),
    ("The Eastern Brigade and its front organisation, the Relief Foundation, were banned.",
     [("Relief Foundation", "subOrganizationOf", "Eastern Brigade", "asserted", None)]),
    ("The Eastern Brigade has ties with the Valley Front.",
     [("Eastern Brigade", "linkedTo", "Valley Front", "asserted", None)]),
    ("The Eastern Brigade is closely allied to the Valley Front.",
     [("Eastern Brigade", "alliedWith", "Valley Front", "asserted", None)]),
    ("Omar Bek, a former member of the Eastern Brigade, was freed.",
     [("Omar Bek", "formerMemberOf", "Eastern Brigade", "asserted", None)]),
    ("Four alleged members of a terrorist group called the Free Hills Front were detained.",
     [("Four alleged members", "memberOf", "Free Hills Front", "alleged", None)]),
    ("The Haqqani network attacked the base. The network is closely allied to the Valley Front.",
     [("Haqqani network", "alliedWith", "Valley Front", "asserted", None)]),
    ("The Valley Front is allied to the army. It was founded by Omar Tal.",
     [("Omar Tal", "headOf", "Valley Front", "asserted", None)]),
    ("Analysts said Omar Tal's Eastern Brigade had grown.",
     [("Omar Tal", "headOf", "Eastern Brigade", "asserted", "Analysts")]),
    ("The Valley Front, which is loyal to General Omar Tal, took the town.",
     [("Omar Tal", "headOf", "Valley Front", "asserted", None)]),
    ("Police arrested Omar Bek, Ali Noor and Hasan Tal, members of the Eastern Brigade.",
     [("Omar Bek", "memberOf", "Eastern Brigade", "asserted", None), ("Hasan Tal", "memberOf", "Eastern Brigade", "asserted", None)]),
    ("Gunmen from the Valley Front attacked the camp.",
     [("Gunmen", "memberOf", "Valley Front", "asserted", None)]),
    # the people a group noun lists
    ("Five Valley Front militants, including commander Omar Tal, were killed.",
     [("Omar Tal", "memberOf", "Valley Front", "asserted", None)]),
    ("Police killed six members of the Valley Front, among them Omar Tal.",
     [("Omar Tal", "memberOf", "Valley Front", "asserted", None)]),
    # a hedged "have links": the passive's subject holds them
    ("Omar Tal is said to have links with the Valley Front.",
     [("Omar Tal", "linkedTo", "Valley Front", "alleged", None)]),
    # a group that split away is no part of the group it left
    ("The Stone Brigade, a splinter group of the Valley Front, claimed the attack.",
     [("Stone Brigade", "formerMemberOf", "Valley Front", "asserted", None)]),
    ("The Stone Brigade, a breakaway faction of the Valley Front, denied it.",
     [("Stone Brigade", "formerMemberOf", "Valley Front", "asserted", None)]),
    ("The region has been ravaged by groups such as the Valley Front and its rival offshoot, the Stone Brigade.",
     [("Stone Brigade", "formerMemberOf", "Valley Front", "asserted", None)]),
    # the name before the group noun names the group
    ("Police said Omar Tal belonged to the banned Stone Brigade terrorist group.",
     [("Omar Tal", "memberOf", "Stone Brigade", "asserted", "Police")]),
    # "the suspect", "the detainee": the person just named
    ("Police arrested Omar Tal in Kandar on Monday. The suspect is a member of the Valley Front, officials said.",
     [("Omar Tal", "memberOf", "Valley Front", "asserted", "officials")]),
]


@pytest.mark.slow
@pytest.mark.parametrize("text, expected", ROLES + COORDINATION + CHARGES + DENIALS + SPEAKERS + NESTING + STRUCTURE
                         + RESPONSIBILITY + MORE + ALLIANCES + UNNAMED)
def test_claims_from_constructions(extractor, text, expected):
    found = claims(extract(extractor, text))
    for claim in expected:
        assert claim in found, (claim, found)


# --- names: what the words around a name say about it -------------------------------------------

ENTITIES = [
    # (text, entities that must be there as (name, type), names that must not be entities)
    # only a place has outskirts or a north
    ("Gunmen killed five soldiers on the outskirts of Kandar on Monday.", [("Kandar", "place")], []),
    ("A bomb exploded 10 km north of Kandar, killing two.", [("Kandar", "place")], []),
    # only a place lies at a distance from another, or inside a named district
    ("Militants ambushed a patrol near Mbarga, 40 km north of Ndolo, on Monday.", [("Mbarga", "place")], []),
    ("Three farmers were killed by gunmen at Mbarga in Ndolo district on Monday.", [("Mbarga", "place")], []),
    ("Fighting erupted in the Ndolo area of Sokoto state on Monday.", [("Ndolo area", "place")], []),
    ("Fighting erupted in Ndolo's Mbarga neighbourhood on Monday.", [("Mbarga neighbourhood", "place")], []),
    ("Rebels Seize Kandar\n\nRebels seized the town of Kandar on Monday. A fighter stands guard in Kandar. "
     "REUTERS/Ann Lee\n\nThe army "
     "said it would retake the town.", [("Kandar", "place")], ["Ann Lee", "REUTERS"]),
    ("Rebels Seize Kandar\n\nRebels seized the town of Kandar on Monday.\n\nThe minister spoke after the meeting of the Regional Security "
     "Council Video: GOVERNMENT OF LOWA\n\nThe army said it would retake the town.", [("Kandar", "place")],
     ["GOVERNMENT OF LOWA", "Regional Security Council Video"]),
    ("The army said the militant group Zarqa Mujahedin had lost two commanders.",
     [("Zarqa Mujahedin", "organisation")], []),
    ("Police arrested Zarqa chief Omar Tal and Zarqa's financial chief Ali Noor.",
     [("Zarqa", "organisation"), ("Omar Tal", "person"), ("Ali Noor", "person")], []),
    ("The detainee belonged to the banned Sarvat Ashiqlar terrorist group, police say.",
     [("Sarvat Ashiqlar", "organisation")], []),
    ("The amir of the Dalkan group, Omar Tal, was killed in the town of Rasul.",
     [("Dalkan group", "organisation"), ("Omar Tal", "person")], ["Dalkan"]),
    ("The Free Hills Front (FHF) attacked a police post. The FHF later withdrew.",
     [("Free Hills Front", "organisation")], ["FHF"]),  # the acronym is an alias, not an entity of its own
    ("Investigators named Abu Salim as the organiser of the attack.", [("Abu Salim", "person")], []),
    ("The group was founded by Uzbeks Rinat Bek and Omar Tal.", [("Rinat Bek", "person")], ["Uzbeks Rinat Bek"]),
    ("The ringleader of the terrorist group Jama'at al-Nasr wal-Jihad was arrested.",
     [("Jama'at al-Nasr wal-Jihad", "organisation")], []),
    ("KANDAR (Reuters) - Gunmen killed two soldiers on Monday, police said.", [], ["Reuters"]),
    ("Gunmen Storm Hill Post\n\nGunmen stormed a hill post near Kandar on Monday, killing two guards.\n\n"
     "Restless Frontier\n\nThe area has seen many raids.", [("Kandar", "place")], ["Restless Frontier", "Hill Post"]),
    ("The attack was carried out at the Paradise Hotel near Kandar on Monday.", [("Paradise Hotel", "place")],
     ["Paradise Hotel near Kandar"]),
    ("Rebels entered the town on Monday, according to Ugandan President Yo", [], ["Yo"]),
    ("Soldiers guard the site [Omar Bek/Anadolu Agency]. Gunmen killed two guards there on Monday.",
     [("Omar Bek", "person")], ["Anadolu Agency", "Bek/Anadolu Agency"]),
    ("Police arrested Omar Bek aka “Falcon” on Monday. Falcon had led the gang for years.",
     [("Omar Bek", "person")], ["Falcon"]),  # one person with two names
    ("The conflict pits the army against forces loyal to General Musa Hamid “Falcon” Kador.",
     [("Musa Hamid “Falcon” Kador", "person")], []),
]


def test_no_group_claims_responsibility(extractor):
    ex = extract(extractor, "A bomb exploded in Kandar on Monday. No group has claimed responsibility for the attack.")
    assert not [c for c in ex.claims if c.relation.value == "responsibleFor" and c.modality.value == "asserted"
                and c.speaker == c.subject]


@pytest.mark.parametrize("text, doers", [
    # a definite description that names no group is the armed group just named
    ("The Valley Front attacked a police post in May. Two weeks later, the ethnic armed group raided a village "
     "in Kandar.", ["Valley Front", "Valley Front"]),
    ("The Valley Front attacked a police post in May. After a lull, the group attacked another outpost.",
     ["Valley Front", "Valley Front"]),
    # ... never the outlet, and never when an unnamed group of that noun came between
    ("Gunmen killed five soldiers in Kandar. Ali Noor of the Valley Front told Reuters the group did it.",
     ["Gunmen"]),
    ("The Valley Front attacked a police post in May. An armed group attacked a school in June. The group fled.",
     ["Valley Front", "armed group"]),
])
def test_the_group_is_the_armed_group_just_named(extractor, text, doers):
    ex = extract(extractor, text)
    names = {e.id: e.name for e in ex.entities}
    found = [names[r.entity] for e in sorted(ex.events, key=lambda e: e.trigger.start) for r in e.roles
             if r.role == "perpetrator"]
    assert found == doers, found
    assert not {"group", "the group", "ethnic armed group"} & set(names.values())  # a mention, not an entity


@pytest.mark.parametrize("text", [
    # an unnamed group introduced before may be the one meant; "which group" is a claim, not a mention
    "A group of armed men attacked a post in May. Officials blamed the Valley Front. The group fled into the hills.",
    "Gunmen attacked a post in May. Police suggested that the group involved was the Valley Front.",
])
def test_the_group_stays_unnamed_when_it_may_be_another(extractor, text):
    ex = extract(extractor, text)
    front = next(e for e in ex.entities if e.name == "Valley Front")
    assert [m.text for m in front.mentions] == ["Valley Front"]


@pytest.mark.parametrize("text", [
    "Omar Tal rejected claims that he was a member of the Valley Front.",
    "Lawyers for Omar Tal say the charges of membership in the Valley Front are fabricated.",
])
def test_a_rejected_claim_is_only_denied(extractor, text):
    found = {c[3] for c in claims(extract(extractor, text)) if c[:3] == ("Omar Tal", "memberOf", "Valley Front")}
    assert found == {"denied"}, found


@pytest.mark.parametrize("text, modality", [
    # the predicate noun is the claim itself, as firm as the verb that frames it
    ("Police believe Omar Tal is a member of the Valley Front.", "alleged"),
    ("Police said there was evidence that Omar Tal is a member of the Valley Front.", "alleged"),
    ("There is no evidence that Omar Tal is a member of the Valley Front.", "speculated"),
    ("Police say Omar Tal is a member of the Valley Front.", "asserted"),
])
def test_a_hedged_predicate_is_only_hedged(extractor, text, modality):
    found = {c[3] for c in claims(extract(extractor, text)) if c[:3] == ("Omar Tal", "memberOf", "Valley Front")}
    assert found == {modality}, found


def test_no_proof_is_a_guess(extractor):
    found = claims(extract(extractor, "Gunmen attacked a convoy in Kandar on Monday. Omar Tal said authorities "
                                      "had no firm proof the Valley Front was behind the attack."))
    assert ("Valley Front", "responsibleFor", "event", "speculated", "Omar Tal") in found, found


def test_an_arrest_has_an_agent_not_a_culprit(extractor):
    ex = extract(extractor, "Police arrested five men in Kandar on Monday.")
    arrest = next(e for e in ex.events if "Arrests" in e.type.split())
    names = {e.id: e.name for e in ex.entities}
    assert [names[r.entity] for r in arrest.roles if r.role == "perpetrator"] == ["Police"]
    assert not [c for c in ex.claims if c.relation.value == "responsibleFor"]  # responsibility is for violence


@pytest.mark.slow
@pytest.mark.parametrize("text, present, absent", ENTITIES)
def test_names_from_their_context(extractor, text, present, absent):
    ex = extract(extractor, text)
    found = {(e.name, e.type.value) for e in ex.entities}
    names = {e.name for e in ex.entities} | {a for e in ex.entities for a in e.aliases}
    for item in present:
        assert item in found, (item, found)
    for name in absent:
        assert name not in {e.name for e in ex.entities}, (name, found)
    if "FHF" in text:
        assert "FHF" in names  # the acronym is kept as the organisation's other name


@pytest.mark.parametrize("text, wrong", [
    # a brother of a leader is no leader; a description's organisation did not attack
    ("Ali Noor, the brother of Valley Cartel leader Omar Tal, was arrested.",
     ("Ali Noor", "headOf", "Valley Cartel")),
    ("The Valley Front, the military wing of the People's Party, attacked the town.",
     ("People's Party", "responsibleFor", "event")),
    ("The Valley Front, an affiliate of al-Qaeda, attacked the town.", ("al-Qaeda", "responsibleFor", "event")),
    ("Omar Tal heads a faction of the Valley Cartel.", ("Omar Tal", "subOrganizationOf", "Valley Cartel")),
    # "leaving three soldiers dead" is no one leaving a group
    ("The men raided a frontier post in Kandar on Monday, leaving three soldiers dead.",
     ("men", "formerMemberOf", "three soldiers")),
    ("The Stone Brigade, a breakaway faction of the Valley Front, denied it.",
     ("Stone Brigade", "subOrganizationOf", "Valley Front")),
    # not claiming is neither owning up nor denying
    ("Gunmen attacked a police post in Kandar on Monday. The Valley Front has not claimed the attack.",
     ("Valley Front", "responsibleFor", "event")),
    # "the suspect" is not the official who reports the arrest
    ("Interior Minister Sami Ras said police arrested a man in Kandar. The suspect is a member of the Valley Front.",
     ("Sami Ras", "memberOf", "Valley Front")),
    # no conviction is no finding; a sentence "to death" is not the deed
    ("Omar Tal was never convicted of the bombing of a mosque in Lowa in May.", ("Omar Tal", "responsibleFor", "event")),
    ("A court in Lowa sentenced Omar Tal to death on Monday.", ("Omar Tal", "responsibleFor", "event")),
    # the speaker of an unnamed member's arrest is not that member
    ("Omar Tal said a member of the Valley Front was arrested on Monday.", ("Omar Tal", "memberOf", "Valley Front")),
    ("Police said a member of the Kandar network was held.", ("Police", "memberOf", "Kandar network")),
    ("Omar Tal was replaced as head of the Valley Front by Ali Noor.", ("Omar Tal", "headOf", "Valley Front")),
    # talks are no deed; distancing from a government is no denial of one
    ("Omar Tal took part in the talks in Lowa.", ("Omar Tal", "responsibleFor", "event")),
    # a role in a group's attack is no membership of it
    ("Omar Tal denied any role in the Valley Front's attack on Kandar on Monday.",
     ("Omar Tal", "memberOf", "Valley Front")),
    # a state expels diplomats and foreigners, who were never its members
    ("The Interior Ministry expelled Omar Tal, a foreign journalist, last year.", ("Omar Tal", "formerMemberOf",
                                                                                "Interior Ministry")),
    ("The Valley Front has distanced itself from the government.", ("Valley Front", "responsibleFor", "event")),
    # a welcome is no founding; what the war created is no group
    ("Ali Noor welcomed the creation of the Valley Front by the students.", ("Ali Noor", "headOf", "Valley Front")),
    ("The war created the conditions for the Valley Front to grow.", ("war", "headOf", "Valley Front")),
])
def test_claims_that_must_not_be_made(extractor, text, wrong):
    found = {c[:3] for c in claims(extract(extractor, text))}
    assert wrong not in found, found



def test_a_claimed_attack_is_the_claimant_s_word_not_the_narrator_s(extractor):
    found = claims(extract(extractor, "A bomb exploded in Kandar on Monday, killing five people, in an attack "
                                      "claimed by the Valley Front."))
    assert ("Valley Front", "responsibleFor", "event", "asserted", "Valley Front") in found
    assert ("Valley Front", "responsibleFor", "event", "asserted", None) not in found, found
