"""The synthetic story: councils inspected year by year, and what follows a poor rating.

Each council has a GSS-like code, children's services, a director's post held by a run of
people, and one local news source a year (plus a commissioner's report in a year of
intervention). Ofsted judges its services most years; a rating moves like a real one (a poor
rating tends to persist); an inadequate one brings a statutory direction, then a commissioner,
and a second brings a plan for an independent trust that is established the next year (the
council keeps statutory responsibility, the trust takes operational control). National
stakeholders (sector bodies, charities, ministers, academics) take positions on a handful of
policies every year, and local voices on the council's own trust case.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from kg.synth.model import Corpus, Evidence, literal, typed
from kg.synth.names import People, gss_code, place_names, slug

FIRST_YEAR = 2009
RATINGS = ("outstanding", "good", "requires-improvement", "inadequate")
RATING_WORDS = {"outstanding": "outstanding", "good": "good",
                "requires-improvement": "requires improvement", "inadequate": "inadequate"}
# Next rating given this one: a poor rating tends to persist, a good one to hold.
MOVES = {"outstanding": (50, 45, 5, 0), "good": (8, 70, 17, 5),
         "requires-improvement": (0, 30, 50, 20), "inadequate": (0, 5, 55, 40)}
STANCES = ("supports", "conditional", "sceptical", "opposes")
STANCE_WORDS = {"supports": "backs", "conditional": "would accept, on conditions,",
                "sceptical": "doubts", "opposes": "opposes"}
POLICIES = ("independent-trust-model", "commissioner-led-improvement",
            "ofsted-inspection-framework", "regional-adoption-agencies", "partners-in-practice",
            "social-work-accreditation")
NATIONAL_BODIES = (("adcs", "csi:SectorBody", "Association of Directors of Children's Services"),
                   ("lga", "csi:SectorBody", "Local Government Association"),
                   ("nspcc", "csi:Charity", "NSPCC"),
                   ("barnardos", "csi:Charity", "Barnardo's"),
                   ("commons-education-committee", "csi:ParliamentaryCommittee",
                    "House of Commons Education Committee"))
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
REGISTRY = "entities"
Voice = tuple[str, str, str | None]  # a speaker's IRI, how the text names them, their post
LOCAL_VIEWS = 4  # positions in a council's local news each year


@dataclass(frozen=True)
class Summary:
    councils: int
    years: int
    seed: int
    files: int
    sources: int
    statements: int


def _day(rng: random.Random, year: int) -> tuple[str, str]:
    month = rng.randrange(12)
    day = rng.randrange(1, 29)
    return f"{year}-{month + 1:02d}-{day:02d}", f"{day} {MONTHS[month]} {year}"


class World:
    def __init__(self, councils: int, years: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.people = People(self.rng)
        self.corpus = Corpus()
        self.councils, self.years = councils, years
        self.statements = 0
        self.sources: list[str] = []
        self.stakeholders: list[Voice] = []

    # --- registry ---------------------------------------------------------------------------

    def person(self, role: str) -> tuple[str, str]:
        name = self.people.new()
        iri = f"person:{slug(name)}"
        self.corpus.entity(REGISTRY, iri, "foaf:Person", name, f"foaf:name {literal(name)}")
        return iri, name

    def post(self, key: str, label: str, organisation: str) -> str:
        self.corpus.entity(REGISTRY, f"post:{key}", "org:Post", label, f"org:postIn {organisation}")
        return f"post:{key}"

    def national(self) -> None:
        entity = self.corpus.entity
        entity(REGISTRY, "body:dfe", "csi:GovernmentDepartment", "Department for Education")
        entity(REGISTRY, "body:ofsted", "csi:Inspectorate", "Ofsted")
        for key in POLICIES:
            label = key.replace("-", " ").capitalize()
            entity(REGISTRY, f"policy:{key}", "csi:Policy", label,
                   f"skos:definition {literal(f'The policy known as {label.lower()}.', 'en')}")
        for key, kind, label in NATIONAL_BODIES:
            entity(REGISTRY, f"body:{key}", kind, label)
            person, name = self.person(key)
            post = self.post(f"{key}-spokesperson", f"Spokesperson, {label}", f"body:{key}")
            self.stakeholders.append((person, f"{name} of the {label}", post))
            self.stakeholders.append((f"body:{key}", f"The {label}", None))
        for n in range(3):
            minister, name = self.person("minister")
            post = self.post(f"children-minister-{n + 1}", f"Children's minister ({n + 1})",
                             "body:dfe")
            self.stakeholders.append((minister, f"Minister {name}", post))
        for n in range(4):
            university = f"body:university-{n + 1}"
            town = ("Northbrook", "Elmford", "Ashwick", "Penley")[n]
            entity(REGISTRY, university, "csi:University", f"University of {town}")
            scholar, name = self.person("academic")
            post = self.post(f"professor-{n + 1}", f"Professor of social work ({n + 1})",
                             university)
            self.stakeholders.append((scholar, f"Professor {name}", post))
        entity(REGISTRY, "src:synthetic-register", "csi:Source",
               "Synthetic register of council codes",
               f"csi:corpusId {literal('synthetic-register')}")
        self.sources.append("synthetic-register")

    # --- one source and its statements --------------------------------------------------------

    def source(self, file: str, key: str, title: str, day: str) -> str:
        self.corpus.entity(file, f"src:{key}", "schema:NewsArticle , csi:Source", title,
                           f"dcterms:title {literal(title, 'en')}",
                           f"dcterms:date {typed(day, 'date')}",
                           f"csi:corpusId {literal(key)}")
        self.sources.append(key)
        return key

    def say(self, file: str, key: str, types: str, label: str, evidence: list[Evidence],
            *props: str) -> str:
        self.statements += 1
        self.corpus.statement(file, f"st:{key}", types, label, evidence, *props)
        return f"st:{key}"

    def position(self, file: str, key: str, speaker: Voice, topic: str,
                 about: str, source: str, where: str) -> None:
        stance = self.rng.choice(STANCES)
        iri, name, post = speaker
        sentence = f"{name} {STANCE_WORDS[stance]} {about} ({where})."
        props = [f"csi:speaker {iri}", f"csi:stance stance:{stance}", f"csi:topic {topic}"]
        if post:
            props.append(f"csi:capacity {post}")
        self.say(file, key, "csi:Position", sentence[:-1], [Evidence(source, sentence, "opinion")],
                 *props)

    # --- a council's story --------------------------------------------------------------------

    def council(self, index: int, place: str) -> None:
        key = "doncaster" if index == 0 else slug(place)
        name = "Doncaster" if index == 0 else place
        council, services = f"council:{key}", f"service:{key}-childrens-services"
        file, entity = f"council-{key}", self.corpus.entity
        entity(REGISTRY, council, "csi:LocalAuthority", f"{name} Council")
        entity(REGISTRY, services, "csi:ChildrensServices", f"{name} children's services",
               f"org:unitOf {council}")
        director = self.post(f"{key}-director-of-childrens-services",
                             f"Director of children's services, {name}", council)
        commissioner_post = self.post(f"{key}-childrens-services-commissioner",
                                      f"Children's services commissioner for {name}", "body:dfe")
        code, kind = gss_code(index)
        line = f"{name} {code} {kind}"
        self.corpus.texts.setdefault("synthetic-register", []).append(line)
        self.say("reference-codes", f"gss-{key}", "csi:IdentifierAssignment",
                 f"{name}: GSS code {code}", [Evidence("synthetic-register", line)],
                 f"csi:code {literal(code)}", f"csi:identifies {council}")
        rating = self.rng.choice(RATINGS[1:])
        inadequate_run, trust, plan = 0, None, None
        leader, leader_name = self.person("leader")
        local: Voice = (leader, f"{name} council leader {leader_name}", None)
        voices: list[Voice] = [local]
        for role in ("lead member for children", "MP", "safeguarding board chair"):
            person, person_name = self.person(role)
            voices.append((person, f"{name} {role} {person_name}", None))
        head, head_name = self.person("director")
        voices.append((head, f"{head_name}, director of children's services at {name}", director))
        for offset in range(self.years):
            year = FIRST_YEAR + offset
            day, spoken = _day(self.rng, year)
            src = self.source(file, f"syn-{key}-{year}", f"{name} children's services in {year}",
                              day)
            at = f"{key}-{year}"
            common = [f"csi:authority {council}", f"csi:services {services}"]
            if offset == 0:
                sentence = (f"{name} Council holds statutory responsibility for its children's "
                            f"services in {year}.")
                self.say(file, f"{at}-statutory", "csi:Responsibility",
                         f"{name} Council holds statutory responsibility for children's services",
                         [Evidence(src, sentence)], *common, f"csi:holder {council}",
                         "csi:responsibilityKind resp:statutory-responsibility")
            if offset % 4 == 0:
                person, person_name = self.person("director")
                month = self.rng.randrange(12)
                sentence = (f"{person_name} became director of children's services at {name} in "
                            f"{MONTHS[month]} {year}.")
                self.say(file, f"{at}-director", "csi:PostHolding",
                         f"{person_name}, director of children's services at {name} from {year}",
                         [Evidence(src, sentence)], f"csi:holder {person}", f"csi:post {director}",
                         f"csi:startDate {typed(f'{year}-{month + 1:02d}', 'gYearMonth')}")
            if self.rng.random() < 0.7:  # not every council is inspected every year
                rating = self.rng.choices(RATINGS, MOVES[rating])[0]
                sentence = (f"Ofsted rated {name} children's services {RATING_WORDS[rating]} "
                            f"after an inspection published on {spoken}.")
                self.say(file, f"{at}-inspection", "csi:InspectionJudgement",
                         f"Ofsted rates {name} children's services {RATING_WORDS[rating]} ({year})",
                         [Evidence(src, sentence)], *common, f"csi:judgement judgement:{rating}",
                         "csi:inspectedBy body:ofsted", f"csi:date {typed(day, 'date')}")
                inadequate_run = inadequate_run + 1 if rating == "inadequate" else 0
            if inadequate_run == 1:
                sentence = (f"The Department for Education directed {name} Council to produce an "
                            f"improvement plan in {year}.")
                self.say(file, f"{at}-direction", "csi:Direction",
                         f"The DfE directs {name} Council to produce an improvement plan ({year})",
                         [Evidence(src, sentence)], *common, f"csi:directedTo {council}",
                         "csi:issuedBy body:dfe", "csi:interventionKind kind:statutory-direction",
                         f"csi:requirement {literal('produce an improvement plan')}",
                         f"csi:date {typed(str(year), 'gYear')}")
            if inadequate_run == 2:
                appointee, appointee_name = self.person("commissioner")
                sentence = (f"The government appointed {appointee_name} as children's services "
                            f"commissioner for {name} in {year}.")
                self.say(file, f"{at}-commissioner", "csi:Appointment",
                         f"{appointee_name} appointed commissioner for {name} ({year})",
                         [Evidence(src, sentence)], *common, f"csi:appointee {appointee}",
                         f"csi:post {commissioner_post}", "csi:appointedBy body:dfe",
                         "csi:interventionKind kind:commissioner",
                         f"csi:date {typed(str(year), 'gYear')}")
                if trust is None and self.rng.random() < 0.6:
                    trust = f"body:{key}-childrens-services-trust"
                    entity(REGISTRY, trust, "csi:ChildrensServicesTrust",
                           f"{name} Children's Services Trust")
                    sentence = (f"Ministers plan to move {name} children's services into an "
                                f"independent trust, the commissioner recommended in {year}.")
                    plan = self.say(file, f"{at}-trust-plan", "csi:Intervention , csi:Plan",
                                    f"Plan for an independent trust for {name} ({year})",
                                    [Evidence(src, sentence, "plan")], *common,
                                    "csi:interventionKind kind:independent-trust",
                                    "csi:initiative initiative:imposed", f"csi:involves {trust}")
            elif trust is not None and plan is not None:
                sentence = (f"{name} Children's Services Trust took over the running of children's "
                            f"services from {name} Council in {MONTHS[0]} {year}.")
                self.say(file, f"{at}-trust-established", "csi:Establishment",
                         f"{name} Children's Services Trust established ({year})",
                         [Evidence(src, sentence)], *common, f"org:resultingOrganization {trust}",
                         f"org:originalOrganization {council}", "csi:establishedBy body:dfe",
                         "csi:initiative initiative:imposed",
                         f"csi:date {typed(f'{year}-01', 'gYearMonth')}")
                self.say(file, f"{at}-trust-control", "csi:Responsibility",
                         f"{name} Children's Services Trust runs the services from {year}",
                         [Evidence(src, sentence)], *common, f"csi:holder {trust}",
                         "csi:responsibilityKind resp:operational-control",
                         f"csi:startDate {typed(f'{year}-01', 'gYearMonth')}")
                for n, voice in enumerate([local, *self.rng.sample(self.stakeholders, 2)]):
                    self.position(file, f"{at}-case-view-{n}", voice, plan,
                                  f"the trust for {name}", src, f"{name}, {year}")
                plan = None  # established: views on the case are given once
            # Each year local voices comment in the local press on national policy.
            for n, voice in enumerate(self.rng.sample(voices, LOCAL_VIEWS)):
                policy = self.rng.choice(POLICIES)
                self.position(file, f"{at}-view-{n}", voice, f"policy:{policy}",
                              f"the {policy.replace('-', ' ')}", src, f"{name}, {year}")


def national_debate(world: World) -> None:
    """One national review a year, in which each national stakeholder speaks on a policy or two."""
    for offset in range(world.years):
        year = FIRST_YEAR + offset
        day, _ = _day(world.rng, year)
        src = world.source("national", f"syn-national-{year}", f"National review of {year}", day)
        for n, voice in enumerate(world.stakeholders):
            for policy in world.rng.sample(POLICIES, world.rng.choice((1, 2))):
                world.position("national", f"national-{year}-{n}-{policy}", voice,
                               f"policy:{policy}", f"the {policy.replace('-', ' ')}", src,
                               f"national review, {year}")


def generate(councils: int, years: int, seed: int, out: Path) -> Summary:
    """Write out/data and out/corpus; the same arguments always give the same files."""
    world = World(councils, years, seed)
    world.national()
    national_debate(world)
    for index, place in enumerate(place_names(councils, world.rng)):
        world.council(index, place)
    world.corpus.write(out / "data", out / "corpus")
    return Summary(councils, years, seed, len(list((out / "data").glob("*.ttl"))),
                   len(world.sources), world.statements)
