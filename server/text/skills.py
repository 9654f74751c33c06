"""A vocabulary of skills the builtin engine recognises in job descriptions, resumes and answers.

Each entry maps a canonical name to the spellings that mean it (the name itself is not one of them: "Go" as
a word means nothing). Matching is case-insensitive on word
boundaries that respect technical spellings (``C++``, ``C#``, ``Node.js``, ``CI/CD``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from server.text.words import within_one_edit


class SkillKind(StrEnum):
    TECHNICAL = "technical"
    SOFT = "soft"


@dataclass(frozen=True)
class Skill:
    name: str
    kind: SkillKind
    aliases: tuple[str, ...]


_TECHNICAL: dict[str, tuple[str, ...]] = {
    "Python": ("python",),
    "Java": ("java",),
    "JavaScript": ("javascript", "js", "ecmascript"),
    "TypeScript": ("typescript",),
    "Go": ("golang", "=Go"),
    "Rust": ("=Rust",),
    "C++": ("c++", "cpp"),
    "C#": ("c#", "csharp"),
    ".NET": (".net", "dotnet"),
    "Kotlin": ("kotlin",),
    "Swift": ("=Swift",),
    "Ruby": ("ruby", "rails", "ruby on rails"),
    "PHP": ("php",),
    "Scala": ("=Scala",),
    "SQL": ("sql",),
    "PostgreSQL": ("postgresql", "postgres"),
    "MySQL": ("mysql",),
    "SQLite": ("sqlite",),
    "MongoDB": ("mongodb", "mongo"),
    "Redis": ("redis",),
    "Cassandra": ("cassandra",),
    "DynamoDB": ("dynamodb",),
    "Elasticsearch": ("elasticsearch", "opensearch"),
    "Kafka": ("kafka",),
    "RabbitMQ": ("rabbitmq",),
    "Spark": ("spark", "pyspark"),
    "Airflow": ("airflow",),
    "dbt": ("dbt",),
    "Snowflake": ("snowflake",),
    "BigQuery": ("bigquery",),
    "AWS": ("aws", "amazon web services", "ec2", "s3", "=Lambda"),
    "GCP": ("gcp", "google cloud"),
    "Azure": ("azure",),
    "Docker": ("docker", "containers", "containerization"),
    "Kubernetes": ("kubernetes", "k8s", "helm"),
    "Terraform": ("terraform", "infrastructure as code"),
    "Ansible": ("ansible",),
    "Linux": ("linux", "unix"),
    "CI/CD": (
        "ci/cd",
        "continuous integration",
        "continuous delivery",
        "continuous deployment",
        "github actions",
        "jenkins",
        "gitlab ci",
    ),
    "Git": ("git",),
    "React": ("=React", "react.js", "reactjs"),
    "Vue": ("vue", "vue.js"),
    "Angular": ("angular",),
    "Node.js": ("node.js", "nodejs", "=Node"),
    "Django": ("django",),
    "Flask": ("flask",),
    "FastAPI": ("fastapi",),
    "Spring": ("=Spring", "spring boot"),
    "GraphQL": ("graphql",),
    "REST APIs": ("=REST", "restful", "rest api", "rest apis", "api design"),
    "gRPC": ("grpc",),
    "Microservices": ("microservices", "microservice", "service-oriented"),
    "Distributed systems": ("distributed systems", "distributed system", "distributed computing"),
    "System design": ("system design", "architecture", "architectural"),
    "Scalability": ("scalability", "scalable", "scale", "scaling", "high-traffic", "high traffic"),
    "Performance": ("performance", "latency", "throughput", "profiling", "optimization"),
    "Reliability": ("reliability", "availability", "sre", "incident", "incidents", "on-call", "uptime", "slo", "slos"),
    "Observability": ("observability", "monitoring", "prometheus", "grafana", "tracing", "logging", "datadog"),
    "Security": ("security", "authentication", "authorization", "oauth", "encryption", "owasp"),
    "Testing": ("testing", "unit tests", "tdd", "test automation", "pytest", "integration tests"),
    "Machine learning": (
        "machine learning",
        "ml",
        "deep learning",
        "pytorch",
        "tensorflow",
        "scikit-learn",
        "model training",
    ),
    "LLMs": ("llm", "llms", "large language models", "nlp", "natural language processing", "rag"),
    "Data pipelines": (
        "data pipelines",
        "data pipeline",
        "etl",
        "elt",
        "data engineering",
        "batch processing",
        "stream processing",
        "streaming",
    ),
    "Data analysis": ("data analysis", "analytics", "pandas", "statistics", "a/b testing", "experimentation"),
    "Caching": ("caching", "cache", "cdn", "memcached"),
    "Databases": ("databases", "database", "data modeling", "schema design", "indexing"),
    "Concurrency": ("concurrency", "multithreading", "async", "asynchronous", "parallelism"),
    "Algorithms": ("algorithms", "data structures", "algorithmic"),
    "Mobile": ("ios", "android", "mobile"),
    "Frontend": ("frontend", "front-end", "html", "css", "accessibility"),
    "Backend": ("backend", "back-end", "server-side"),
    "Cloud": ("cloud", "cloud infrastructure", "serverless"),
    "Networking": ("networking", "tcp", "http", "dns", "load balancing", "load balancer"),
    "Product analytics": ("product analytics", "product metrics", "kpis", "kpi", "funnel"),
}

_SOFT: dict[str, tuple[str, ...]] = {
    "Leadership": ("leadership", "lead", "led", "leading", "tech lead", "ownership"),
    "Mentoring": ("mentoring", "mentor", "mentored", "coaching", "coached"),
    "Communication": ("communication", "communicate", "communicating", "written and verbal", "presenting"),
    "Collaboration": (
        "collaboration",
        "collaborate",
        "collaborated",
        "cross-functional",
        "teamwork",
        "partner with",
        "partnered",
    ),
    "Stakeholder management": ("stakeholder management", "stakeholders", "stakeholder", "customers", "clients"),
    "Problem solving": ("problem solving", "problem-solving", "troubleshooting", "debugging", "root cause"),
    "Prioritization": ("prioritization", "prioritize", "prioritise", "trade-offs", "tradeoffs", "deadlines"),
    "Project management": ("project management", "roadmap", "planning", "agile", "scrum", "delivery"),
    "Hiring": ("hiring", "interviewing", "recruiting"),
    "Conflict resolution": ("conflict resolution", "conflict", "disagreement", "disagreements", "negotiation"),
    "Adaptability": ("ambiguity", "ambiguous", "fast-paced", "adaptability", "changing priorities"),
}


def _compile(alias: str) -> re.Pattern[str]:
    """An alias written ``=Go`` matches only with that capitalisation (``go``, ``rest`` are common words)."""
    exact = alias.startswith("=")
    body = re.escape(alias.removeprefix("="))
    return re.compile(rf"(?<![\w+#./-]){body}(?![\w+#]|\.\w)", 0 if exact else re.IGNORECASE)


SKILLS: tuple[Skill, ...] = tuple(
    [Skill(name, SkillKind.TECHNICAL, aliases) for name, aliases in _TECHNICAL.items()]
    + [Skill(name, SkillKind.SOFT, aliases) for name, aliases in _SOFT.items()]
)
_PATTERNS: tuple[tuple[Skill, tuple[re.Pattern[str], ...]], ...] = tuple(
    (skill, tuple(_compile(a) for a in skill.aliases)) for skill in SKILLS
)
#: Per skill, its aliases' words as a quick substring test: a pattern can only match where its words occur,
#: so the regular expressions run only for the few skills whose words are there (a long answer is read once
#: per skill instead of once per pattern).
_LITERALS: tuple[tuple[str, ...], ...] = tuple(
    tuple(a.removeprefix("=").lower() for a in skill.aliases) for skill in SKILLS
)
BY_NAME: dict[str, Skill] = {skill.name: skill for skill in SKILLS}


def find_skills(text: str) -> list[str]:
    """Canonical names of the skills mentioned in ``text``, in order of first mention."""
    found: list[tuple[int, str]] = []
    lowered = text.lower()
    for (skill, patterns), literals in zip(_PATTERNS, _LITERALS, strict=True):
        if lowered.isascii() and not any(literal in lowered for literal in literals):
            continue
        positions = [m.start() for p in patterns if (m := p.search(text))]
        if positions:
            found.append((min(positions), skill.name))
    return [name for _, name in sorted(found)]


#: Words that show an answer is about a skill even when it never names it (an answer on a slow PostgreSQL
#: query talks of plans and indexes). Used for relevance only.
RELATED_TERMS: dict[str, tuple[str, ...]] = {
    "SQL": ("query", "index", "join", "explain", "plan", "table", "schema", "transaction"),
    "PostgreSQL": ("query", "index", "explain", "analyze", "vacuum", "planner", "statistics", "table", "lock"),
    "Databases": ("query", "index", "schema", "table", "transaction", "replica", "shard", "partition"),
    "Kafka": ("partition", "offset", "consumer", "producer", "broker", "topic", "idempotent", "retry"),
    "Kubernetes": ("pod", "deployment", "helm", "cluster", "node", "rollout", "probe", "container"),
    "Docker": ("image", "container", "layer", "dockerfile", "registry"),
    "Python": ("profiler", "gil", "asyncio", "cprofile", "interpreter", "worker", "process"),
    "Redis": ("cache", "key", "ttl", "eviction", "expiry", "counter"),
    "Caching": ("cache", "ttl", "invalidation", "eviction", "hit", "stale"),
    "Distributed systems": ("consistency", "replica", "partition", "timeout", "retry", "idempotent", "quorum"),
    "Scalability": ("shard", "replica", "cache", "load", "horizontal", "throughput", "partition"),
    "Performance": ("latency", "profile", "throughput", "bottleneck", "benchmark", "p99"),
    "Reliability": ("incident", "alert", "rollback", "postmortem", "outage", "on-call"),
    "REST APIs": ("endpoint", "version", "status", "client", "request", "response"),
    "Microservices": ("service", "timeout", "retry", "contract", "queue"),
    "Mentoring": ("junior", "pairing", "feedback", "review", "coach", "grow"),
    "Leadership": ("team", "decision", "ownership", "priorit", "align"),
    "Conflict resolution": ("disagree", "conflict", "compromise", "align", "discussion"),
}

#: How a concept (not a product) is said inside a sentence.
_SPOKEN: dict[str, str] = {
    "Backend": "backend development",
    "Frontend": "frontend development",
    "Mobile": "mobile development",
    "Cloud": "cloud infrastructure",
}
_PROPER = frozenset(_TECHNICAL) - {
    "Distributed systems",
    "System design",
    "Scalability",
    "Performance",
    "Reliability",
    "Observability",
    "Security",
    "Testing",
    "Machine learning",
    "Data pipelines",
    "Data analysis",
    "Caching",
    "Databases",
    "Concurrency",
    "Algorithms",
    "Networking",
    "Product analytics",
    "Microservices",
    *_SPOKEN,
}


def spoken_name(name: str) -> str:
    """The skill as said mid-sentence: products keep their spelling, concepts are lower-cased."""
    return name if name in _PROPER else _SPOKEN.get(name, name.lower())


_LONG_ALIASES = tuple(
    sorted({a for skill in SKILLS for a in skill.aliases if a.isalpha() and len(a) >= 6 and a.islower()})
)
_LONG_ALIAS_SET = frozenset(_LONG_ALIASES)
#: The long aliases within one letter of each length, in :data:`_LONG_ALIASES` order.
_ALIASES_NEAR_LENGTH: dict[int, tuple[str, ...]] = {
    length: tuple(a for a in _LONG_ALIASES if abs(len(a) - length) <= 1)
    for length in range(6, max(map(len, _LONG_ALIASES), default=6) + 2)
}


def correct_slips(text: str) -> str:
    """``text`` with long words one edit away from a skill's name replaced by that name, so a transcript's
    "Cubernetes" or "Postgress" still counts as the skill (used for detection only, never for quotes).

    Each distinct word is looked up once, among the aliases of about its length: a long answer repeats its
    words, and this runs on the event loop's thread."""
    fixed: dict[str, str | None] = {}

    def fix(match: re.Match[str]) -> str:
        word = match.group().lower()
        if word not in fixed:
            near = () if word in _LONG_ALIAS_SET else _ALIASES_NEAR_LENGTH.get(len(word), ())
            fixed[word] = next((a for a in near if within_one_edit(word, a)), None)
        return fixed[word] or match.group()

    return re.sub(r"[A-Za-z]{6,}", fix, text)


def is_technical(name: str) -> bool:
    skill = BY_NAME.get(name)
    return skill is not None and skill.kind is SkillKind.TECHNICAL


def mentions(text: str, name: str) -> bool:
    """Whether ``text`` mentions the skill ``name`` (by any of its spellings)."""
    for skill, patterns in _PATTERNS:
        if skill.name == name:
            return any(p.search(text) for p in patterns)
    return name.lower() in text.lower()
