"""The project's namespaces and the standard ones it uses.

``KG`` is a :class:`rdflib.namespace.DefinedNamespace` with ``_fail = True``, so a misspelt
ontology term raises ``AttributeError`` instead of minting a new IRI. A test keeps its term list
equal to the terms ``ontology.ttl`` defines.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

from kg.data import prefixes
from kg.data.prefixes import BASE, PREFIXES

__all__ = ["BASE", "KG", "PREFIXES"]

ONTOLOGY_IRI = URIRef(BASE + "ontology")


class KG(DefinedNamespace):
    """The zhipu-kg ontology (``kg:``)."""

    _NS = Namespace(BASE + "ontology#")
    _fail = True

    AIModel: URIRef
    AIStartup: URIRef
    App: URIRef
    AuthorAssessment: URIRef
    BigTech: URIRef
    BusinessModel: URIRef
    CertaintyLevel: URIRef
    Challenge: URIRef
    ChangeDirection: URIRef
    Citation: URIRef
    City: URIRef
    Claim: URIRef
    ClaimType: URIRef
    Company: URIRef
    CompanyGroup: URIRef
    Comparison: URIRef
    Completed: URIRef
    Country: URIRef
    Current: URIRef
    CustomerSegment: URIRef
    Decrease: URIRef
    Departure: URIRef
    DepartureWave: URIRef
    DirectQuote: URIRef
    Draft: URIRef
    Event: URIRef
    Evidence: URIRef
    ExportControlList: URIRef
    FundingEvent: URIRef
    FundingRound: URIRef
    FundingSource: URIRef
    FundingTotal: URIRef
    FundraisingCampaign: URIRef
    GovernmentBody: URIRef
    GovernmentContract: URIRef
    GovernmentFund: URIRef
    Hearsay: URIRef
    InProgress: URIRef
    Increase: URIRef
    Inference: URIRef
    Interview: URIRef
    InvestmentFirm: URIRef
    InvestmentFund: URIRef
    Judgement: URIRef
    LargeLanguageModel: URIRef
    Leaderboard: URIRef
    Listing: URIRef
    ListingStep: URIRef
    Loss: URIRef
    MarketCapitalisation: URIRef
    MarketStatistic: URIRef
    MediaOrganization: URIRef
    MediaReport: URIRef
    Meeting: URIRef
    Mention: URIRef
    ModelArchitecture: URIRef
    ModelRelease: URIRef
    NotSame: URIRef
    Observation: URIRef
    ObservationKind: URIRef
    OnRecord: URIRef
    Organization: URIRef
    Peak: URIRef
    Person: URIRef
    Photo: URIRef
    Place: URIRef
    Planned: URIRef
    Post: URIRef
    PriceChange: URIRef
    PriceQuote: URIRef
    Product: URIRef
    PublicReport: URIRef
    RankingResult: URIRef
    Region: URIRef
    ReportedBelief: URIRef
    ReportedSpeech: URIRef
    ResearchInstitute: URIRef
    ResearchProject: URIRef
    Restructuring: URIRef
    Revenue: URIRef
    ReviewDecision: URIRef
    Roadmap: URIRef
    RoadmapProgress: URIRef
    RoadmapStage: URIRef
    Role: URIRef
    Rumour: URIRef
    SameAs: URIRef
    Sanction: URIRef
    SharePrice: URIRef
    Situation: URIRef
    SoftwareFramework: URIRef
    SourceArticle: URIRef
    StaffReduction: URIRef
    StateInvestmentPlatform: URIRef
    StatedCause: URIRef
    Status: URIRef
    StockMarket: URIRef
    StrategicShift: URIRef
    SupercomputingCentre: URIRef
    TVProgramme: URIRef
    TalentAcquisition: URIRef
    Team: URIRef
    TechnicalApproach: URIRef
    Trough: URIRef
    UnderEvaluation: URIRef
    University: URIRef
    UnnamedSource: URIRef
    Unsure: URIRef
    Unverified: URIRef
    Valuation: URIRef
    Verdict: URIRef
    about: URIRef
    acquiredFrom: URIRef
    acquiredTeam: URIRef
    acquirer: URIRef
    amount: URIRef
    approximateDate: URIRef
    asWritten: URIRef
    aspect: URIRef
    author: URIRef
    authorName: URIRef
    basedOn: URIRef
    broadcastOn: URIRef
    businessModel: URIRef
    businessModelFrom: URIRef
    businessModelTo: URIRef
    candidate: URIRef
    cause: URIRef
    certainty: URIRef
    change: URIRef
    characterCount: URIRef
    claimType: URIRef
    claimant: URIRef
    commerciallyUsable: URIRef
    comparedItem: URIRef
    competesWith: URIRef
    confidence: URIRef
    credit: URIRef
    cue: URIRef
    currencyFromContext: URIRef
    customer: URIRef
    customerSegment: URIRef
    date: URIRef
    dateNote: URIRef
    datePublished: URIRef
    dateRetrieved: URIRef
    dateText: URIRef
    decision: URIRef
    depicts: URIRef
    developer: URIRef
    direction: URIRef
    distinction: URIRef
    duration: URIRef
    endsPost: URIRef
    fileName: URIRef
    focusModel: URIRef
    followOn: URIRef
    fundingSource: URIRef
    goal: URIRef
    hardware: URIRef
    hasStage: URIRef
    imposedBy: URIRef
    inferenceNote: URIRef
    influencedBy: URIRef
    interviewee: URIRef
    interviewer: URIRef
    investee: URIRef
    investor: URIRef
    involves: URIRef
    isApproximate: URIRef
    keyLink: URIRef
    leaderboard: URIRef
    ledBy: URIRef
    leftEntity: URIRef
    list: URIRef
    location: URIRef
    locator: URIRef
    memberOf: URIRef
    mention: URIRef
    modality: URIRef
    netProceeds: URIRef
    nextStage: URIRef
    notAfter: URIRef
    notBefore: URIRef
    observationKind: URIRef
    observedEntity: URIRef
    offerPrice: URIRef
    openSource: URIRef
    organization: URIRef
    organizer: URIRef
    outcome: URIRef
    parameterCount: URIRef
    partOf: URIRef
    participant: URIRef
    person: URIRef
    price: URIRef
    priceAfter: URIRef
    priceBefore: URIRef
    produced: URIRef
    producer: URIRef
    product: URIRef
    publisher: URIRef
    publisherName: URIRef
    quantity: URIRef
    rankedItem: URIRef
    ratio: URIRef
    reason: URIRef
    refersTo: URIRef
    relatesTo: URIRef
    releasedBy: URIRef
    releasedModel: URIRef
    reportedIn: URIRef
    responsibility: URIRef
    restates: URIRef
    reviewNote: URIRef
    reviewer: URIRef
    rightEntity: URIRef
    roadmap: URIRef
    roundName: URIRef
    sha256: URIRef
    sharePrice: URIRef
    stageNumber: URIRef
    statedAt: URIRef
    statedCause: URIRef
    statedEffect: URIRef
    status: URIRef
    stockCode: URIRef
    subscriptionMultiple: URIRef
    supersedes: URIRef
    supplier: URIRef
    target: URIRef
    targetMarket: URIRef
    technicalApproach: URIRef
    technicalApproachFrom: URIRef
    title: URIRef
    topic: URIRef
    trainingData: URIRef
    trainingFramework: URIRef
    validFrom: URIRef
    validUntil: URIRef
    verdict: URIRef


KGR = Namespace(PREFIXES["kgr"])
"""Resources: entities, events, observations, claims (``kgr:``)."""
EV = Namespace(PREFIXES["ev"])
"""Evidence named graphs, one per quoted passage (``ev:``)."""
KGG = Namespace(PREFIXES["kgg"])
"""Graphs that hold no article facts: curation, provenance, ontology, inference."""

SCHEMA = Namespace(PREFIXES["schema"])
ORG = Namespace(PREFIXES["org"])
PROV = Namespace(PREFIXES["prov"])
OA = Namespace(PREFIXES["oa"])
DCTERMS = Namespace(PREFIXES["dcterms"])
SH = Namespace(PREFIXES["sh"])

CURATION_GRAPH = URIRef(prefixes.CURATION_GRAPH)
DRAFT_CURATION_GRAPH = URIRef(prefixes.DRAFT_CURATION_GRAPH)
PROVENANCE_GRAPH = URIRef(prefixes.PROVENANCE_GRAPH)
ONTOLOGY_GRAPH = URIRef(prefixes.ONTOLOGY_GRAPH)
INFERENCE_GRAPH = URIRef(prefixes.INFERENCE_GRAPH)
IDENTITY_GRAPH = URIRef(prefixes.IDENTITY_GRAPH)
