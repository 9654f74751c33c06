"""Builds tests/data/eot_answers.json (end-of-turn benchmark answers) and checks it."""
import collections
import itertools
import json
import re
import sys
from pathlib import Path


def P(s):
    return {"pause_s": s}


# (field, question, segments)
DATA = {
    "finished": [
        ("software", "What made you apply for this role?",
         ["I've been using your product at my current job for two years.", "I like how it works, and I want to help build the next version of it."]),
        ("nursing", "How do you usually prepare for a busy shift?",
         ["I get in fifteen minutes early and read through my patients' charts before report.", "Then I write a rough timeline for meds and assessments, so I know where the crunch points are."]),
        ("customer success", "Why are you leaving your current job?",
         ["The company was acquired last spring and my team was folded into a much larger group.", "I miss working closely with customers, and this role puts me back in front of them.", "That's the main reason."]),
        ("warehouse", "What does a good handover between shifts look like to you?",
         ["The outgoing supervisor walks the floor with me for ten minutes and tells me what's behind, who's out, and which equipment is down.", "If I get that, I can plan the first hour instead of reacting to it."]),
        ("accounting", "How do you keep track of your close tasks?",
         ["We use a shared close checklist with an owner and a due day for every task.", "I review it every morning during close and flag anything that's slipping to the controller before lunch."]),
        ("teaching", "How do you handle a student who keeps disrupting class?",
         ["I talk to them privately after class rather than calling them out in front of everyone.", "Usually there's something going on, and once I know what it is, we can agree on a plan together."]),
        ("firmware", "What's your favourite debugging tool?",
         ["Honestly, a logic analyzer.", "Seeing the bus traffic and the interrupt lines side by side has solved more bugs for me than any debugger."]),
        ("sales", "How do you qualify a new lead?",
         ["I ask about the problem, the budget, who makes the decision, and when they need it solved.", "If I can't get a clear answer on at least two of those in the first call, I don't put it in my forecast."]),
        ("restaurant", "How do you keep food costs under control?",
         ["I cost every dish on the menu and check it against actual usage every week.", "When a number drifts, I go and watch the line, because it's usually portioning, not prices."]),
        ("data science", "What do you do when a stakeholder asks you for a dashboard?",
         ["I ask what decision they're going to make with it.", "Half the time a single number in a weekly email does the job better than a dashboard.", "So that's where I start."]),
        ("construction", "How do you make sure a site is ready before a concrete pour?",
         ["I walk the forms and the rebar with the foreman the afternoon before and make sure the inspection is signed off.", "Then I confirm the truck schedule and the weather first thing in the morning."]),
        ("human resources", "How do you prepare for a difficult conversation with an employee?",
         ["I write down the facts and the one outcome I need from the meeting.", "I also plan my first two sentences, because that's where these conversations usually go wrong."]),
        ("customer support", "What does great customer service mean to you?",
         ["It means the customer only has to explain their problem once.", "Everything after that is on us to follow through."]),
    ],
    "pause_after_clause": [
        ("software", "Why did you choose Kafka for that project?",
         ["We picked Kafka because", P(2.2), "we needed to replay events after an outage, and the old queue couldn't do that."]),
        ("finance", "What was the hardest part of the migration?",
         ["The hardest part was, um,", P(2.5), "getting the finance team to trust the new numbers while both systems were still running."]),
        ("software", "Tell me about an outage you handled.",
         ["When the outage started,", P(1.8), "I was the only one on call, so I opened an incident channel and paged the database team.", "We had it back up in about forty minutes."]),
        ("nursing", "How did you handle the family's complaint?",
         ["I sat down with the daughter and", P(2.0), "let her go through everything that had gone wrong before I said anything.", "Then we agreed on a plan for the rest of the stay."]),
        ("warehouse", "What would your team say about you?",
         ["I think they'd say that I'm, uh,", P(2.8), "fair, and that I'm out on the floor with them instead of sitting in the office."]),
        ("accounting", "How did you find the error?",
         ["I was tying out the fixed asset roll-forward, and", P(1.6), "the ending balance was off by exactly one month of depreciation on one machine."]),
        ("teaching", "How do you adapt lessons for different learners?",
         ["It depends on the class, but usually I start with", P(2.4), "a short task everyone can do, and then give two or three harder versions that students can choose from."]),
        ("firmware", "Why did the device keep resetting?",
         ["It turned out that the, um, the supply rail was", P(2.1), "dipping below the brown-out threshold every time the modem transmitted."]),
        ("customer success", "How did you save that account?",
         ["The first thing I did was to", P(1.9), "get the new controller on a call, because our champion had left and nobody had told us."]),
        ("sales", "Why did you lose that deal?",
         ["Honestly, we lost it because", P(2.6), "I never met the person who actually signed the contract.", "I only ever talked to their team."]),
        ("logistics", "What would you change in your first month?",
         ["If I'm being honest, I'd probably want to look at", P(3.0), "how the pick waves are released, because the numbers you showed me suggest the afternoon is overloaded."]),
        ("data science", "How did you pick the forecasting model?",
         ["We compared three models on a rolling backtest, and the one we chose was", P(1.7), "a gradient boosted model, mainly because it handled promotions much better."]),
        ("project management", "What happened when the vendor missed the deadline?",
         ["So when the vendor told us they'd be two weeks late, my first reaction was", P(2.3), "to find out which parts we could still launch without them.", "It turned out to be most of it."]),
    ],
    "pause_after_sentence": [
        ("software", "Tell me about your leadership experience.",
         ["I led a team of six engineers for about two years.", P(2.0), "Before that I was the tech lead on a smaller project, so I'd already done the planning side of it."]),
        ("nursing", "Why did you choose nursing?",
         ["My grandmother was in hospice when I was in high school.", P(2.4), "The nurses who looked after her are the reason I went into this, and I still think about them on hard shifts."]),
        ("accounting", "Tell me about your audit experience.",
         ["I spent three years in public accounting before moving to industry.", P(1.8), "Most of my clients were manufacturers, so I tested a lot of inventory and revenue controls."]),
        ("warehouse", "How do you run a safety huddle?",
         ["I keep it to five minutes at the start of the shift.", P(2.2), "I pick one topic, usually a near miss from that week, and I ask someone on the team to explain it instead of me."]),
        ("firmware", "How did you test the bootloader?",
         ["We wrote a script that cut power at random points during an update.", P(2.7), "It ran overnight on twenty boards, and we only shipped once we had a few thousand cycles without a single bricked device."]),
        ("customer success", "What's your approach to onboarding?",
         ["I try to agree on what first value means before the kickoff call.", P(1.6), "Then the whole plan works backwards from that date, and the customer owns half of the tasks."]),
        ("teaching", "How do you use assessment data?",
         ["I give a short quiz at the end of every week.", P(2.9), "I don't grade most of them, I just use them to decide who I need to pull aside on Monday."]),
        ("software", "What would you do differently on that project?",
         ["I would have written the design document before writing any code.", P(2.1), "We spent about three weeks undoing decisions that one review meeting would have caught."]),
        ("marketing", "Tell me about a campaign that didn't work.",
         ["We launched an email campaign for a new product line that got almost no clicks.", P(2.5), "When I looked at it afterwards, we'd sent it to people who had bought the old version the month before, so it was the wrong audience."]),
        ("electrical trade", "How do you make sure a circuit is safe to work on?",
         ["I lock out and tag the breaker myself, even if someone tells me it's already off.", P(1.9), "Then I test for voltage with a meter that I've checked on a known live source first."]),
        ("hospitality", "How do you deal with an angry guest?",
         ["I let them finish before I say anything.", P(2.3), "Then I tell them exactly what I'm going to do and by when, and I come back to them myself when it's done."]),
        ("data science", "How do you explain uncertainty to business people?",
         ["I avoid talking about confidence intervals directly.", P(1.7), "Instead I say something like, in nine weeks out of ten, sales will land between these two numbers, and that usually works."]),
        ("product management", "How do you decide what goes into a release?",
         ["I start from the one problem we're trying to solve for customers that quarter.", P(2.6), "Anything that doesn't help with that goes on the list for later, even if it's a good idea."]),
    ],
    "list": [
        ("software", "Why did you choose Postgres over MongoDB?",
         ["There were three reasons.", P(1.2), "First, our data was very relational, orders, customers and invoices.", P(1.5), "Second, the team already knew SQL well.", P(1.8), "And third, we needed real transactions for payments."]),
        ("nursing", "What are the most important things in a handoff?",
         ["For me there are three things.", P(1.0), "First, the patient's current status and anything that changed on my shift.", P(1.6), "Second, what's due in the next few hours, meds, labs and procedures.", P(1.4), "And last, anything I'm worried about, even if I can't put a number on it."]),
        ("warehouse", "What do you look at at the start of a shift?",
         ["I check three things before the huddle.", P(1.3), "One, the volume forecast by hour.", P(1.7), "Two, who called out and where I'm short.", P(2.0), "Three, any equipment that's down, especially reach trucks."]),
        ("accounting", "What makes a good reconciliation?",
         ["A good reconciliation has a few parts.", P(1.1), "It ties to the general ledger exactly.", P(1.5), "Every reconciling item is explained and has an owner.", P(1.9), "And old items get cleared, not carried forward month after month."]),
        ("customer success", "What signals tell you an account is at risk?",
         ["The big ones for me are usage dropping, our champion leaving, and support tickets piling up.", P(1.4), "Usage is the earliest signal.", P(2.2), "A champion leaving is the most dangerous one.", P(1.5), "And tickets usually mean the frustration has been building for a while."]),
        ("firmware", "What are the usual causes of high sleep current?",
         ["In my experience it's usually one of four things.", P(1.2), "Floating inputs.", P(1.4), "A peripheral that was never turned off, like a UART.", P(1.6), "External chips that aren't in their low power mode.", P(1.8), "And resistor dividers that are always connected."]),
        ("teaching", "How do you build relationships with parents?",
         ["I do three things at the start of every year.", P(1.0), "First, I send a short introduction with my phone number.", P(1.9), "Second, I call every family with good news before I ever call with a problem.", P(2.1), "And third, I tell them the best time to reach me."]),
        ("software", "What do you check in a code review?",
         ["I look at a few things, in this order.", P(1.3), "First, does it actually solve the problem in the ticket.", P(1.5), "Then, what happens when things fail, like timeouts, retries and bad input.", P(2.4), "And finally, whether the tests would catch it if someone broke it later."]),
        ("project management", "What are the biggest risks on a project like this?",
         ["I'd say there are two big ones.", P(1.5), "The first is scope creep from the client side.", P(2.0), "The second is that we depend on a vendor who has missed dates before."]),
        ("restaurant", "How do you train a new line cook?",
         ["I break it into stages.", P(1.1), "The first week they only do prep, so they learn the recipes and the walk-in.", P(1.7), "The second week they work one station next to someone experienced.", P(1.6), "After that they run the station on a quiet night before I put them on a weekend."]),
        ("human resources", "What do you include in an onboarding plan?",
         ["There are four parts to it.", P(1.2), "The paperwork and accounts, done before day one.", P(1.5), "A buddy on the team.", P(1.3), "Clear goals for the first thirty, sixty and ninety days.", P(2.2), "And a check-in with the manager at the end of each of those."]),
        ("data science", "What features matter most in a demand forecast?",
         ["Usually it's these three.", P(1.3), "Recent sales history, like the last few weeks and the same week last year.", P(1.8), "Price and promotions.", P(1.6), "And calendar effects, holidays and paydays especially."]),
        ("logistics", "How would you reduce mis-picks?",
         ["I'd try a few things.", P(1.4), "First, look at which locations the mis-picks come from, because it's usually a handful.", P(2.0), "Second, separate look-alike products.", P(1.5), "Third, make people scan the item, not just the location."]),
    ],
    "numbers": [
        ("software", "How big was the team you managed?",
         ["I managed twelve people when I started in 2021.", P(0.8), "By the end of 2022 it had grown to nineteen, across two time zones."]),
        ("software", "What was the impact of the project?",
         ["We cut the monthly cloud bill by, um,", P(2.0), "about thirty-five percent, from eighty thousand dollars to fifty-two thousand.", P(1.2), "It paid for itself in about four months."]),
        ("nursing", "How many patients do you usually care for?",
         ["On nights I usually have five patients, sometimes six.", P(1.2), "In the step-down unit it was three or four, because they needed checks every two hours."]),
        ("warehouse", "What were your shift's numbers last peak?",
         ["Last peak we shipped about twenty-two thousand orders a day at the high point.", P(1.9), "On-time ship was ninety-eight point six percent, and accuracy was just over ninety-nine point seven."]),
        ("accounting", "How long did the close take?",
         ["When I joined, the close took ten business days.", P(1.6), "By March of 2023 we had it down to seven, and the goal for this year is six."]),
        ("customer success", "What did your book of business look like?",
         ["I had thirty accounts worth about one point nine million dollars a year.", P(1.4), "Gross retention was ninety-four percent and net retention was one hundred and twelve."]),
        ("firmware", "How long does the battery last?",
         ["We measured an average of about nine microamps.", P(2.0), "With the battery we use, that works out to a little over ten years, with one report every fifteen minutes."]),
        ("sales", "What was your quota attainment?",
         ["In 2022 I hit one hundred and eighteen percent of a one point two million dollar quota.", P(1.3), "2023 was harder, and I finished at ninety-one percent."]),
        ("data science", "How much did the new model improve accuracy?",
         ["Weighted error went from thirty-one percent down to about twenty-four.", P(2.2), "On promotion weeks the improvement was bigger, closer to ten points."]),
        ("teaching", "How did your students do on the state exam?",
         ["About sixty percent passed in my first year.", P(1.7), "Last year it was seventy-eight percent, and almost all of the improvement came from the bottom third of the class."]),
        ("construction", "What's the largest budget you've been responsible for?",
         ["The largest was a renovation budget of about, uh,", P(2.1), "four and a half million dollars, back in 2019.", P(1.2), "We came in around three percent under, mostly because we locked in steel prices early."]),
        ("software", "What kind of traffic did the service handle?",
         ["At peak it handled around nine thousand requests per second.", P(1.1), "Our latency target was two hundred and fifty milliseconds, and we were usually around one hundred and eighty."]),
        ("logistics", "How many trucks did you dispatch a day?",
         ["Between forty and fifty trucks a day, depending on the season.", P(1.5), "In December it went up to about seventy, so we hired six extra drivers from November fifteenth to January tenth."]),
    ],
    "short_finished": [
        ("software", "Have you worked with relational databases?", ["Yes, for about two years, mostly with Postgres."]),
        ("nursing", "Are you comfortable working night shifts?", ["Yes, I've worked nights for the last three years."]),
        ("warehouse", "Do you have a forklift certification?", ["Yes, and I'm a certified trainer as well."]),
        ("accounting", "Are you a licensed CPA?", ["Yes, I've been licensed in Ohio since 2020."]),
        ("customer success", "Have you used Gainsight?", ["No, but I've used ChurnZero, which is very similar."]),
        ("general", "Could you start within a month?", ["Yes, my notice period is two weeks."]),
        ("firmware", "Have you written firmware in Rust?", ["Only on a side project, not in production."]),
        ("general", "Do you speak Spanish?", ["Yes, fluently. It's my first language."]),
        ("general", "Are you willing to relocate?", ["No, I'd need this role to stay remote."]),
        ("nursing", "Is your ACLS certification current?", ["Yes, it's valid until next March."]),
        ("management", "Have you managed a budget before?", ["Yes, about two hundred thousand dollars a year for my department."]),
        ("software", "Did you lead that project?", ["I did, from the first design review to the launch."]),
        ("retail", "Have you worked in retail before?", ["Yes, four years at a grocery chain."]),
    ],
}

PAUSE_RANGE = {
    "pause_after_clause": (1.5, 3.0),
    "pause_after_sentence": (1.5, 3.0),
}

DESCRIPTION = (
    "Spoken interview answers for an end-of-turn (turn-taking) benchmark, written to be synthesized by TTS. "
    "Each item is a list of segments: strings are spoken in order, and {\"pause_s\": x} inserts exactly x seconds "
    "of silence. Every inserted pause is a mid-turn pause: the candidate is NOT done at any pause, and a correct "
    "turn detector must keep listening. finished_after_last is true for every item: the turn ends after the last "
    "segment. Consecutive strings without a pause between them are meant to be read back to back with the "
    "synthesizer's natural gap. Kinds: finished (two or three complete sentences, then done); pause_after_clause "
    "(a 1.5 to 3 second thinking pause right after an unfinished clause such as 'because' or 'um,'); "
    "pause_after_sentence (a complete sentence, a 1.5 to 3 second pause, then more: the pause follows a "
    "grammatically complete sentence, so only context tells the turn is not over); list (an announced list with "
    "pauses between items); numbers (figures, dates, percentages and money, some with a pause mid-figure); "
    "short_finished (a short but complete answer to a closed question). Questions span many fields, not only "
    "software. Text is plain English with no emoji and no abbreviations with dots; numbers are mostly spelled out, "
    "years are digits."
)


def main():
    items, problems = [], []
    for kind, rows in DATA.items():
        for n, (field, question, segs) in enumerate(rows, 1):
            items.append({
                "id": f"eot_{kind}_{n:02d}",
                "kind": kind,
                "field": field,
                "question": question,
                "segments": segs,
                "finished_after_last": True,
            })
    for it in items:
        segs = it["segments"]
        if not isinstance(segs[-1], str) or not isinstance(segs[0], str):
            problems.append(f"{it['id']}: must start and end with speech")
        pauses = [s["pause_s"] for s in segs if isinstance(s, dict)]
        for a, b in itertools.pairwise(segs):
            if isinstance(a, dict) and isinstance(b, dict):
                problems.append(f"{it['id']}: two pauses in a row")
        lo_hi = PAUSE_RANGE.get(it["kind"])
        if lo_hi and not any(lo_hi[0] <= p <= lo_hi[1] for p in pauses):
            problems.append(f"{it['id']}: no pause in range {lo_hi}")
        if it["kind"] == "pause_after_clause":
            i = next(i for i, s in enumerate(segs) if isinstance(s, dict))
            before = segs[i - 1].rstrip()
            if before.endswith((".", "?", "!")):
                problems.append(f"{it['id']}: clause before pause looks complete: {before!r}")
        if it["kind"] == "pause_after_sentence":
            i = next(i for i, s in enumerate(segs) if isinstance(s, dict))
            if not segs[i - 1].rstrip().endswith("."):
                problems.append(f"{it['id']}: sentence before pause not complete")
        if it["kind"] == "list" and len(pauses) < 2:
            problems.append(f"{it['id']}: list needs pauses between items")
        if it["kind"] in ("finished", "short_finished") and pauses:
            problems.append(f"{it['id']}: finished kinds have no pauses")
        text = " ".join(s for s in segs if isinstance(s, str)) + " " + it["question"]
        if re.search(r"\b[A-Za-z]{1,4}\.[A-Za-z]", text) or re.search(r"\b(e\.g|i\.e|etc|vs|Dr|Mr|Mrs)\.", text):
            problems.append(f"{it['id']}: dotted abbreviation")
        if re.search(r"[^\x00-\x7F]", text):
            problems.append(f"{it['id']}: non-ASCII character")
        if re.search(r"[%$&/#@*]", text):
            problems.append(f"{it['id']}: symbol a TTS may misread")
    counts = collections.Counter(i["kind"] for i in items)
    for k, c in counts.items():
        if c < 12:
            problems.append(f"kind {k}: {c} < 12")
    if len(items) < 72:
        problems.append("fewer than 72 items")
    out = {"version": 1, "description": DESCRIPTION, "items": items}
    with open(Path(__file__).resolve().parent.parent / "eot_answers.json", "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=2)
        f.write("\n")
    print("items", len(items), dict(counts))
    print("fields", dict(collections.Counter(i["field"] for i in items)))
    print("pauses", sum(1 for i in items for s in i["segments"] if isinstance(s, dict)))
    if problems:
        print("PROBLEMS", *problems, sep="\n  ")
        sys.exit(1)


if __name__ == "__main__":
    main()
