"""The builtin engine's wording: question templates per style and source, follow-ups, greetings and closings.

Templates are plain ``str.format`` strings. Which variant is used is decided by a counter, never by chance,
so the same setup always yields the same interview.
"""

from __future__ import annotations

#: A question and its plainer rephrasing.
Variant = tuple[str, str]

# --------------------------------------------------------------------------- questions from resume claims

BEHAVIORAL_CLAIM: tuple[Variant, ...] = (
    (
        "Your resume says: “{quote}” Tell me about that. What was the situation, and what did you personally do?",
        "Think of the work behind “{short}”. Walk me through it step by step: what was going on, what you did, "
        "and how it turned out.",
    ),
    (
        "I'd like to hear more about this line of your resume: “{quote}” What problem were you solving, what "
        "was your part, and how did it turn out?",
        "Let me put it differently: what was the hardest part of “{short}”, and how did you handle it?",
    ),
)

TECHNICAL_CLAIM: tuple[Variant, ...] = (
    (
        "Your resume says: “{quote}” Walk me through the technical side: what did you build, which tools did "
        "you choose and why, and what would you change now?",
        "Put simply: how did “{short}” work under the hood, and why was it built that way?",
    ),
    (
        "Let's go deeper on this part of your resume: “{quote}” What was the hardest technical problem in it, "
        "and how did you solve it?",
        "In other words: which technical decision behind “{short}” mattered most, and why?",
    ),
)

DESIGN_CLAIM: tuple[Variant, ...] = (
    (
        "Your resume says: “{quote}” Suppose that system had to handle ten times the load. What would break "
        "first, and how would you redesign it?",
        "Let me rephrase: if “{short}” suddenly had ten times more traffic, where would it struggle, and what "
        "would you change?",
    ),
)

# --------------------------------------------------------------------------- questions from job requirements

BEHAVIORAL_REQUIREMENT_SKILL: tuple[Variant, ...] = (
    (
        "The job description says: “{quote}” Tell me about a time you relied on {skill} at work. What was the "
        "situation, what did you do, and what was the result?",
        "Put another way: when did {skill} make a real difference in your work? Describe what happened and "
        "how it ended.",
    ),
    (
        "This role calls for {skill}; the job description puts it as “{quote}” Describe a specific situation "
        "where you showed it: what you did and what came of it.",
        "Let me rephrase: give me one concrete example of you using {skill}, what you did, and the outcome.",
    ),
)

BEHAVIORAL_REQUIREMENT: tuple[Variant, ...] = (
    (
        "The job description says: “{quote}” Tell me about a time your experience matched that. What was the "
        "situation, what did you do, and what came of it?",
        "In simpler terms: which past experience of yours best fits “{short}”? Describe it and how it went.",
    ),
)

TECHNICAL_REQUIREMENT: tuple[Variant, ...] = (
    (
        "The role involves {skill}; the job description says “{quote}” {prompt}",
        "Let me ask it another way: {rephrased_prompt}",
    ),
    (
        "Let's talk about {skill}, which this role needs: “{quote}” {prompt}",
        "Put differently: {rephrased_prompt}",
    ),
)

TECHNICAL_REQUIREMENT_PLAIN: tuple[Variant, ...] = (
    (
        "The job description says: “{quote}” How have you done this in practice, and what trade-offs did you "
        "have to make?",
        "In other words: describe concrete work of yours that matches “{short}”, and what you had to balance.",
    ),
)

DESIGN_REQUIREMENT: tuple[Variant, ...] = (
    (
        "Here is a design exercise related to this part of the role: “{quote}” How would you design {system}? "
        "Start with the requirements, then the main components, the data, and how it scales.",
        "Let me simplify: sketch {system}. What are the main parts, where does the data live, and what happens "
        "when load grows?",
    ),
    (
        "Another design question, grounded in the job description: “{quote}” How would you design {system}? "
        "Cover the trade-offs you would make and how you would know it works.",
        "Put simply: what would you build for {system}, and which trade-offs would you accept?",
    ),
)

#: A concrete technical prompt per skill, with a plainer rephrasing.
TECHNICAL_PROMPTS: dict[str, tuple[str, str]] = {
    "Python": (
        "How would you find and fix a performance problem in a Python service, and which tools would you use?",
        "a Python service is slow. How do you find out why, and how do you fix it?",
    ),
    "Go": (
        "How do you structure concurrency in Go, and how do you avoid goroutine leaks and races?",
        "how do you use goroutines and channels safely in Go?",
    ),
    "Java": (
        "How would you diagnose memory or garbage-collection problems in a Java service?",
        "a Java service keeps running out of memory. What do you do?",
    ),
    "JavaScript": (
        "How does the event loop affect the way you write asynchronous JavaScript, and what pitfalls do you avoid?",
        "how do you handle asynchronous code in JavaScript without bugs?",
    ),
    "TypeScript": (
        "How do you use TypeScript's type system to prevent bugs in a large codebase?",
        "what does TypeScript catch for you, and how do you get the most out of it?",
    ),
    "SQL": (
        "A query that used to be fast is now slow. How do you find out why and fix it?",
        "how do you speed up a slow SQL query?",
    ),
    "PostgreSQL": (
        "How would you diagnose and fix a slow PostgreSQL query, and how do you change a schema without downtime?",
        "a PostgreSQL query is slow. How do you investigate and fix it?",
    ),
    "Databases": (
        "How do you choose a data model and indexes for a new feature, and what trade-offs do you weigh?",
        "how do you decide how to store and index data for a new feature?",
    ),
    "Redis": (
        "When would you put Redis in front of a database, and how do you keep the cache consistent?",
        "how do you use Redis as a cache without serving stale data?",
    ),
    "Caching": (
        "How do you decide what to cache and how to invalidate it?",
        "what do you cache, and how do you keep it fresh?",
    ),
    "Kafka": (
        "How do you guarantee that events are processed once and in order with Kafka, and what happens on failure?",
        "how do you avoid losing or duplicating messages with Kafka?",
    ),
    "Kubernetes": (
        "How do you roll out a change safely on Kubernetes, and how do you debug a pod that keeps restarting?",
        "how do you deploy safely to Kubernetes and fix a crashing pod?",
    ),
    "Docker": (
        "How do you build small, secure Docker images, and how do you debug a container that fails at start?",
        "how do you make a good Docker image and fix one that will not start?",
    ),
    "AWS": (
        "Which AWS services would you use for a new web backend, and how would you control cost and failure?",
        "how would you host a web backend on AWS reliably and cheaply?",
    ),
    "Terraform": (
        "How do you organise Terraform for several environments, and how do you change infrastructure safely?",
        "how do you manage infrastructure changes with Terraform without breaking things?",
    ),
    "CI/CD": (
        "What does a good CI/CD pipeline look like to you, and how do you keep it fast and trustworthy?",
        "how would you set up builds, tests and deploys so they are fast and safe?",
    ),
    "REST APIs": (
        "How do you design a REST API that can evolve without breaking clients?",
        "how do you change an API without breaking the apps that use it?",
    ),
    "Microservices": (
        "When would you split a service in two, and how do you handle failures between services?",
        "how do you decide to split a system into services, and what goes wrong between them?",
    ),
    "Distributed systems": (
        "How do you keep data consistent across services when any call can fail or time out?",
        "what do you do when one part of a distributed system fails halfway through an operation?",
    ),
    "Testing": (
        "How do you decide what to test and at which level, and how do you keep tests fast and reliable?",
        "how do you decide which tests to write?",
    ),
    "Reliability": (
        "Walk me through how you would handle a production incident, from the first alert to the follow-up.",
        "something breaks in production. What do you do, step by step?",
    ),
    "Observability": (
        "What would you measure and log in a new service so that you can debug it in production?",
        "how do you make sure you can tell what a service is doing in production?",
    ),
    "Performance": (
        "How do you find the bottleneck in a slow system, and how do you prove your fix worked?",
        "a system is slow. How do you find why and show that you fixed it?",
    ),
    "Security": (
        "What are the most common security mistakes in web services, and how do you prevent them?",
        "how do you keep a web service secure?",
    ),
    "Machine learning": (
        "How do you take a model from a notebook to production, and how do you know it still works later?",
        "how do you ship a machine-learning model and keep an eye on it?",
    ),
    "Data pipelines": (
        "How do you make a data pipeline reliable when inputs arrive late, twice or malformed?",
        "how do you build a data pipeline that copes with bad or late data?",
    ),
    "React": (
        "How do you manage state in a large React application, and how do you find what makes it re-render slowly?",
        "how do you keep a big React app fast and its state under control?",
    ),
    "Concurrency": (
        "How do you find and prevent race conditions in concurrent code?",
        "how do you make sure code that runs in parallel stays correct?",
    ),
}
GENERIC_TECHNICAL_PROMPT = (
    "How have you used {skill} in practice, what went wrong at some point, and what did you learn from it?",
    "tell me about real work you did with {skill} and one problem you hit.",
)

#: Systems to design, per skill the job names; the fallback list is used in order when none applies.
DESIGN_SYSTEMS: dict[str, str] = {
    "Kafka": "an event pipeline that ingests millions of events a day and never loses one",
    "Data pipelines": "a pipeline that turns raw events into daily reports, robust to late and duplicate data",
    "Caching": "a caching layer for a read-heavy API",
    "Redis": "a rate limiter shared by many API servers",
    "Distributed systems": "a service that stays available when one data center fails",
    "Microservices": "the checkout flow of an online shop split into services",
    "REST APIs": "a public API with authentication, rate limits and versioning",
    "Databases": "the data model and storage for a messaging app",
    "PostgreSQL": "the data model and storage for a messaging app",
    "Scalability": "a URL shortener that handles a hundred thousand requests per second",
    "Observability": "a metrics and alerting system for hundreds of services",
    "Machine learning": "a recommendation service that serves predictions in under 50 milliseconds",
    "LLMs": "a question-answering service over a company's documents",
    "Mobile": "offline sync for a mobile app",
    "Frontend": "a collaborative document editor",
    "Reliability": "a deployment system that can roll back a bad release within minutes",
}
FALLBACK_DESIGN_SYSTEMS = (
    "a URL shortener that handles a hundred thousand requests per second",
    "a notification service that sends e-mail, SMS and push messages",
    "a rate limiter shared by many API servers",
    "a news feed for a social network",
    "a file storage service like a simple cloud drive",
)

# --------------------------------------------------------------------------- questions from the job title only

TITLE_QUESTIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "behavioral": (
        (
            "What drew you to this {title} role, and which experience of yours prepares you best for it?",
            "Why this {title} job, and what have you done that fits it?",
        ),
        (
            "Tell me about the piece of work you are proudest of that is relevant to a {title} role: the "
            "situation, what you did, and the result.",
            "Which project are you proudest of, and what was your part in it?",
        ),
        (
            "Tell me about a time you disagreed with a colleague. How did you handle it, and what was the outcome?",
            "Describe a disagreement at work, what you did about it, and how it ended.",
        ),
        (
            "Tell me about a time something you owned went wrong. What happened, what did you do, and what did "
            "you learn?",
            "Describe a mistake or failure at work and how you dealt with it.",
        ),
        (
            "Tell me about a time you had to learn something new quickly to deliver. How did you go about it?",
            "When did you have to pick up a new skill fast, and how did you do it?",
        ),
    ),
    "technical": (
        (
            "What is the hardest technical problem you have solved in a role like {title}? Walk me through your "
            "approach.",
            "Describe a tough technical problem you solved and how you went about it.",
        ),
        (
            "How do you make sure that what you ship as a {title} works, and keeps working?",
            "How do you check your work before and after it goes live?",
        ),
        (
            "How would you debug a production problem that you cannot reproduce locally?",
            "Something fails only in production. How do you track it down?",
        ),
        (
            "Which tools do you rely on most as a {title}, and why those over the alternatives?",
            "What are your favourite tools for this job, and why?",
        ),
        (
            "Tell me about a technical decision you would make differently today, and why.",
            "Which technical choice of yours would you change now, and why?",
        ),
    ),
}

# --------------------------------------------------------------------------- follow-ups, one per kind of gap

FOLLOW_UPS: dict[str, tuple[str, ...]] = {
    "too_short": (
        "Could you tell me more? A specific example would help.",
        "Can you expand on that with a concrete example?",
    ),
    "situation": (
        "Can you set the scene: where was this, and what was the situation?",
        "What was the context: which team or project, and what was at stake?",
    ),
    "own_action": (
        "You mentioned what the team did. What did you personally do?",
        "What was your own contribution, as opposed to the team's?",
    ),
    "action": (
        "What exactly did you do, step by step?",
        "Walk me through the concrete steps you took.",
    ),
    "result": (
        "How did it turn out? What was the result?",
        "What was the outcome, and what did you learn from it?",
    ),
    "measurable": (
        "How did you measure the impact? Any numbers you can share?",
        "What changed as a result, in numbers if you can?",
    ),
    "depth": (
        "Can you go one level deeper: how does it work, and what trade-offs did you weigh?",
        "What alternatives did you consider, and why did you choose this one?",
    ),
    "vague": (
        "That sounds a bit general. Can you give me one specific instance?",
        "Can you pin that down to one concrete case you handled?",
    ),
    "contradiction": (
        "Your resume mentions {skill}, but you said you have not really worked with it. Could you clarify "
        "your experience with {skill}?",
    ),
}

# --------------------------------------------------------------------------- the frame of the interview

GREETING = (
    "Hello {name}, thanks for joining. I'm Viva, and I'll interview you for the {title} role: {count} questions, "
    "and I can repeat any of them."
)
GREETING_TIMED = (
    "Hello {name}, thanks for joining. I'm Viva, and I'll interview you for the {title} role: about {minutes} "
    "minutes, and I can repeat any question."
)
#: Before the first question, when the candidate answered the greeting.
AFTER_GREETING = "Nice to meet you. Let's begin."
#: The question was cut off before it was heard: say it whole.
FINISH_QUESTION = "Let me finish the question. {text}"
RESUME = "Welcome back, {name}. Let's pick up where we left off."
ACKNOWLEDGEMENTS = ("Thank you.", "Thanks, that's helpful.", "Thank you for that.", "Got it, thanks.")
TRANSITIONS = ("Next question.", "Let's move on.", "Here's the next one.", "Let's turn to something else.")
LAST_QUESTION = "Last question."
#: Said when an observer had the interviewer leave the current topic.
SKIP = "Let's leave that topic there."
REPEAT = "Of course. Here it is again: {text}"
REPHRASE = "Sure, let me put it another way. {text}"
NUDGE = "Take your time. {text}"
CLOSING = (
    "Thank you, {name}. That was my last question, and it was a pleasure talking with you. "
    "The interview is now complete, and the team will review it and be in touch about next steps. Goodbye."
)
CLOSING_TIME = (
    "Thank you, {name}. We have reached the end of our time, so we will stop here. "
    "The team will review the interview and be in touch about next steps. Goodbye."
)
