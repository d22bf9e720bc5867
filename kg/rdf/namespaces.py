"""Namespaces. Ontology terms come from one closed namespace class, :class:`KG` (rdflib
``DefinedNamespace`` with ``_fail = True``: a typo is an error), checked by a test against
``ontology/kg.ttl``. The plain-string constants below are what the hot path uses."""

from __future__ import annotations

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef

KG_NS = "https://w3id.org/kg-news/ns#"
DATA_NS = "https://w3id.org/kg-news/id/"

PREFIXES = {
    "kg": KG_NS,
    "kgr": DATA_NS,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "sem": "http://semanticweb.cs.vu.nl/2009/11/sem/",
    "oa": "http://www.w3.org/ns/oa#",
    "schema": "https://schema.org/",
    "geo": "http://www.opengis.net/ont/geosparql#",
    "sh": "http://www.w3.org/ns/shacl#",
}


class KG(DefinedNamespace):
    """The kg ontology (``ontology/kg.ttl``)."""

    _NS = Namespace(KG_NS)
    _fail = True

    AbductionForcedDisappearance: URIRef
    ActorTypeScheme: URIRef
    Agreement: URIRef
    AirDroneStrike: URIRef
    AliasMerge: URIRef
    Alleged: URIRef
    ArmedClash: URIRef
    Arrests: URIRef
    Asserted: URIRef
    Attack: URIRef
    Battles: URIRef
    ChangeToGroupActivity: URIRef
    ChemicalWeapon: URIRef
    Civilians: URIRef
    Claim: URIRef
    Curation: URIRef
    CurationGraph: URIRef
    DatePrecisionScheme: URIRef
    DayPrecision: URIRef
    Denied: URIRef
    DisruptedWeaponsUse: URIRef
    DocumentGraph: URIRef
    EventTypeScheme: URIRef
    ExcessiveForceAgainstProtesters: URIRef
    ExplosionsRemoteViolence: URIRef
    ExternalOther: URIRef
    ExtractionRun: URIRef
    GovernmentRegainsTerritory: URIRef
    Grenade: URIRef
    HeadquartersOrBaseEstablished: URIRef
    Hijacking: URIRef
    HostageRelease: URIRef
    HostageTaking: URIRef
    IdentityMilitia: URIRef
    Killing: URIRef
    LootingPropertyDestruction: URIRef
    Meeting: URIRef
    MilitaryExercise: URIRef
    MobViolence: URIRef
    ModalityScheme: URIRef
    MonthPrecision: URIRef
    NonStateActorOvertakesTerritory: URIRef
    NonViolentTransferOfTerritory: URIRef
    OtherDevelopment: URIRef
    PeacefulProtest: URIRef
    PoliticalMilitia: URIRef
    PressConference: URIRef
    PrisonBreak: URIRef
    ProtestWithIntervention: URIRef
    Protesters: URIRef
    Protests: URIRef
    Raid: URIRef
    RebelGroup: URIRef
    RemoteExplosive: URIRef
    Rioters: URIRef
    Riots: URIRef
    Sentencing: URIRef
    SexualViolence: URIRef
    ShellingArtilleryMissileAttack: URIRef
    Speculated: URIRef
    StateForces: URIRef
    Statement: URIRef
    StrategicDevelopments: URIRef
    SuicideBomb: URIRef
    Surrender: URIRef
    Theft: URIRef
    ViolenceAgainstCivilians: URIRef
    ViolentDemonstration: URIRef
    YearPrecision: URIRef
    actorType: URIRef
    alias: URIRef
    aliasMerge: URIRef
    alliedWith: URIRef
    articleId: URIRef
    basedIn: URIRef
    byline: URIRef
    confidence: URIRef
    contentHash: URIRef
    cue: URIRef
    curationAction: URIRef
    curationSubject: URIRef
    curationTarget: URIRef
    dateExpression: URIRef
    dateInferred: URIRef
    datePrecision: URIRef
    denotedBy: URIRef
    detainee: URIRef
    fatalities: URIRef
    formerMemberOf: URIRef
    injured: URIRef
    iso3166Code: URIRef
    linkedTo: URIRef
    mergeRule: URIRef
    mergeScore: URIRef
    modality: URIRef
    model: URIRef
    modelVersion: URIRef
    monthDay: URIRef
    nameKey: URIRef
    orgKind: URIRef
    perpetrator: URIRef
    placeKind: URIRef
    relativeOf: URIRef
    responsibleFor: URIRef
    sentenceIndex: URIRef
    softwareVersion: URIRef
    target: URIRef
    victim: URIRef
