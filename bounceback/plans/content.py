"""The resilience plan's content: every action, written by us, each citing the evidence it rests on.

Pure Python. Fixed text, reviewed as a whole: a test compares a checksum of this content with the approved one
(hazard H29), so an edit cannot reach people without a conscious approval. No weight or calorie targets; every
practice says to stop if it makes you feel worse.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Evidence:
    id: str
    short: str
    """How the plan cites it inline, e.g. "Holt-Lunstad 2010"."""
    citation: str
    url: str
    supports: str
    """What we rely on it for, in our own words."""


EVIDENCE: dict[str, Evidence] = {
    e.id: e
    for e in (
        Evidence(
            "holt-lunstad-2010",
            "Holt-Lunstad 2010",
            "Holt-Lunstad J, Smith TB, Layton JB. Social relationships and mortality risk: a meta-analytic "
            "review. PLoS Med 2010;7(7):e1000316.",
            "https://doi.org/10.1371/journal.pmed.1000316",
            "Across 148 studies, people with stronger social relationships had higher odds of survival: social "
            "connection matters for health.",
        ),
        Evidence(
            "gariepy-2016",
            "Gariépy 2016",
            "Gariépy G, Honkaniemi H, Quesnel-Vallée A. Social support and protection from depression: "
            "systematic review of current findings in Western countries. Br J Psychiatry 2016;209(4):284-293.",
            "https://doi.org/10.1192/bjp.bp.115.169094",
            "Across studies, support from family, friends and partners was linked with lower risk of depression, "
            "though studies measured support in different ways.",
        ),
        Evidence(
            "masi-2011",
            "Masi 2011",
            "Masi CM, Chen HY, Hawkley LC, Cacioppo JT. A meta-analysis of interventions to reduce loneliness. "
            "Pers Soc Psychol Rev 2011;15(3):219-266.",
            "https://doi.org/10.1177/1088868310377394",
            "Loneliness can be reduced; in randomised trials, approaches that address unhelpful ways of reading "
            "other people and social situations worked best.",
        ),
        Evidence(
            "schuch-2018",
            "Schuch 2018",
            "Schuch FB, Vancampfort D, Firth J, et al. Physical activity and incident depression: a "
            "meta-analysis of prospective cohort studies. Am J Psychiatry 2018;175(7):631-648.",
            "https://doi.org/10.1176/appi.ajp.2018.17111194",
            "People who are more physically active are less likely to develop depression later.",
        ),
        Evidence(
            "who-2020",
            "WHO guidelines 2020",
            "Bull FC, Al-Ansari SS, Biddle S, et al. World Health Organization 2020 guidelines on physical "
            "activity and sedentary behaviour. Br J Sports Med 2020;54(24):1451-1462.",
            "https://doi.org/10.1136/bjsports-2020-102955",
            "Adults are advised 150–300 minutes of moderate activity a week; any amount is better than none.",
        ),
        Evidence(
            "scott-2021",
            "Scott 2021",
            "Scott AJ, Webb TL, Martyn-St James M, Rowse G, Weich S. Improving sleep quality leads to better "
            "mental health: a meta-analysis of randomised controlled trials. Sleep Med Rev 2021;60:101556.",
            "https://doi.org/10.1016/j.smrv.2021.101556",
            "In randomised trials, improving sleep improved depression, anxiety and stress.",
        ),
        Evidence(
            "edinger-2021",
            "AASM guideline 2021",
            "Edinger JD, Arnedt JT, Bertisch SM, et al. Behavioral and psychological treatments for chronic "
            "insomnia disorder in adults: an American Academy of Sleep Medicine clinical practice guideline. "
            "J Clin Sleep Med 2021;17(2):255-262.",
            "https://doi.org/10.5664/jcsm.8986",
            "Multicomponent cognitive behavioural therapy for insomnia is strongly recommended for chronic "
            "insomnia.",
        ),
        Evidence(
            "firth-2019",
            "Firth 2019",
            "Firth J, Marx W, Dash S, et al. The effects of dietary improvement on symptoms of depression and "
            "anxiety: a meta-analysis of randomized controlled trials. Psychosom Med 2019;81(3):265-280.",
            "https://doi.org/10.1097/PSY.0000000000000673",
            "Improving diet quality reduced symptoms of depression in randomised trials.",
        ),
        Evidence(
            "goyal-2014",
            "Goyal 2014",
            "Goyal M, Singh S, Sibinga EMS, et al. Meditation programs for psychological stress and "
            "well-being: a systematic review and meta-analysis. JAMA Intern Med 2014;174(3):357-368.",
            "https://doi.org/10.1001/jamainternmed.2013.13018",
            "Mindfulness meditation programmes gave small to moderate improvements in anxiety, depression and "
            "pain.",
        ),
        Evidence(
            "khoury-2015",
            "Khoury 2015",
            "Khoury B, Sharma M, Rush SE, Fournier C. Mindfulness-based stress reduction for healthy "
            "individuals: a meta-analysis. J Psychosom Res 2015;78(6):519-528.",
            "https://doi.org/10.1016/j.jpsychores.2015.03.009",
            "Mindfulness-based stress reduction lowered stress, anxiety and depression in people without a "
            "diagnosis.",
        ),
        Evidence(
            "farias-2020",
            "Farias 2020",
            "Farias M, Maraldi E, Wallenkampf KC, Lucchetti G. Adverse events in meditation practices and "
            "meditation-based therapies: a systematic review. Acta Psychiatr Scand 2020;142(5):374-393.",
            "https://doi.org/10.1111/acps.13225",
            "Meditation can bring up unpleasant experiences for some people, so practice should be gentle and "
            "can be stopped.",
        ),
        Evidence(
            "joyce-2018",
            "Joyce 2018",
            "Joyce S, Shand F, Tighe J, et al. Road to resilience: a systematic review and meta-analysis of "
            "resilience training programmes and interventions. BMJ Open 2018;8(6):e017858.",
            "https://doi.org/10.1136/bmjopen-2017-017858",
            "Resilience training based on cognitive behavioural skills, mindfulness, or both, improved "
            "resilience.",
        ),
        Evidence(
            "nice-ng222",
            "NICE NG222",
            "National Institute for Health and Care Excellence. Depression in adults: treatment and management "
            "(NICE guideline NG222), 2022.",
            "https://www.nice.org.uk/guidance/ng222",
            "Psychological therapies and, where appropriate, medication are effective treatments for depression.",
        ),
        Evidence(
            "nice-cg113",
            "NICE CG113",
            "National Institute for Health and Care Excellence. Generalised anxiety disorder and panic disorder "
            "in adults: management (clinical guideline CG113), 2011.",
            "https://www.nice.org.uk/guidance/cg113",
            "Guided self-help and psychological therapy are recommended steps for anxiety.",
        ),
        Evidence(
            "nice-ng116",
            "NICE NG116",
            "National Institute for Health and Care Excellence. Post-traumatic stress disorder (NICE guideline "
            "NG116), 2018.",
            "https://www.nice.org.uk/guidance/ng116",
            "Trauma-focused psychological therapies are effective for post-traumatic stress.",
        ),
        Evidence(
            "stanley-2018",
            "Stanley 2018",
            "Stanley B, Brown GK, Brenner LA, et al. Comparison of the safety planning intervention with "
            "follow-up vs usual care of suicidal patients treated in the emergency department. JAMA Psychiatry "
            "2018;75(9):894-900.",
            "https://doi.org/10.1001/jamapsychiatry.2018.1776",
            "A safety plan made with a clinician, with follow-up calls, was linked with about 45% fewer suicidal "
            "behaviours over six months (veterans seen in emergency departments).",
        ),
    )
}


@dataclass(frozen=True)
class Action:
    id: str
    pillar: str
    title: str
    why: str
    how: tuple[str, ...]
    first_step: str
    evidence: tuple[str, ...]


PILLARS = {
    "professional": "Professional help",
    "social": "Social support",
    "self_care": "Self-care: sleep, eating and exercise",
    "mindfulness": "Mindfulness",
}

STOP_IF_WORSE = "Stop if this makes you feel worse, and tell someone you trust."

ACTIONS: dict[str, Action] = {
    a.id: a
    for a in (
        Action(
            "safety_now",
            "professional",
            "Talk to a professional about thoughts of death or of hurting yourself",
            "Thoughts of death or suicide deserve care from a professional, and help works: a written safety "
            "plan made with someone and followed up was linked with 45% fewer suicidal behaviours.",
            (
                "If you might act on these thoughts, call or text a crisis line or your emergency number now.",
                "Tell one person you trust how you are feeling today.",
                "Book an appointment with a doctor or therapist this week and say you have had these thoughts.",
                "Write down your warning signs, what helps you get through, and who you can call.",
            ),
            "Today: save a crisis line number in your phone and tell one person you trust.",
            ("stanley-2018", "nice-ng222"),
        ),
        Action(
            "see_professional",
            "professional",
            "Talk to a doctor, therapist or counselor",
            "Your answers are at a level where a professional assessment is recommended. Psychological "
            "therapies help depression, anxiety and post-traumatic stress, and a professional can tell what fits "
            "you.",
            (
                "Contact your doctor or a licensed therapist; say you took screening questionnaires and which "
                "results worried you.",
                "At a first appointment they will ask how you have been feeling and for how long, and talk "
                "through options. You decide what to share.",
                "If cost or access is a barrier, ask about community clinics, sliding-scale fees or your "
                "employer's assistance programme.",
            ),
            "This week: make one call or send one message to book an appointment.",
            ("nice-ng222", "nice-cg113", "nice-ng116"),
        ),
        Action(
            "professional_if_needed",
            "professional",
            "Know when to reach for professional help",
            "Screening can miss things. If low mood, worry or distress lasts more than two weeks, gets worse or "
            "gets in the way of daily life, effective help exists.",
            (
                "Notice how you feel over the next weeks; take the check-up again in a month.",
                "If things get harder, contact your doctor or a therapist.",
                "If you ever feel unsafe, use Get help now at the top of every page.",
            ),
            "This week: find the name and number of a doctor or service you could contact.",
            ("nice-ng222", "nice-cg113"),
        ),
        Action(
            "build_support",
            "social",
            "Reach out to one person",
            "Support from family, friends and partners is linked with lower risk of depression, and strong "
            "relationships are good for health. Support can be built one contact at a time.",
            (
                "Pick one person you feel at ease with and send a short message or call.",
                "Say plainly what would help: company, a practical hand, or just to listen.",
                "Look for a group around what you are going through (a support group, a class, a faith or "
                "community group).",
            ),
            "This week: contact one person and arrange to talk or meet.",
            ("gariepy-2016", "holt-lunstad-2010"),
        ),
        Action(
            "ease_loneliness",
            "social",
            "Ease loneliness, a step at a time",
            "Loneliness is common and can change. Approaches that work on unhelpful ways of reading social "
            "situations, such as expecting rejection, help the most.",
            (
                "Notice thoughts like “nobody wants to hear from me” and test them with one small contact.",
                "Join one regular activity where the same people meet again.",
                "Offer help to someone else: volunteering creates contact without pressure.",
            ),
            "This week: say yes to one invitation, or make one.",
            ("masi-2011", "holt-lunstad-2010"),
        ),
        Action(
            "keep_connected",
            "social",
            "Keep your people close",
            "Your support is a strength. Staying in touch during hard times protects mood.",
            (
                "Tell one person what you are going through.",
                "Keep regular contact even when you do not feel like it.",
            ),
            "This week: share how you are really doing with someone you trust.",
            ("gariepy-2016",),
        ),
        Action(
            "move_more",
            "self_care",
            "Move a little more each week",
            "Physically active people are less likely to develop depression, and guidelines advise 150 minutes "
            "a week of moderate activity; any amount is better than none.",
            (
                "Choose something you can do where you are: a brisk walk, dancing, cycling, swimming.",
                "Start with 10 minutes on a few days, and add a little each week.",
                "Go with someone if you can: it adds support too.",
                STOP_IF_WORSE,
            ),
            "This week: take a 10-minute brisk walk on three days.",
            ("schuch-2018", "who-2020"),
        ),
        Action(
            "keep_moving",
            "self_care",
            "Keep up your activity",
            "You are active for at least the recommended 150 minutes a week, which protects mood.",
            ("Keep your routine during hard times; it is one of the first things stress takes away.",),
            "This week: plan when your activity fits around what is going on.",
            ("schuch-2018", "who-2020"),
        ),
        Action(
            "sleep",
            "self_care",
            "Protect your sleep",
            "Better sleep leads to better mental health: in trials, improving sleep reduced depression, anxiety "
            "and stress. For sleep problems that last, cognitive behavioural therapy for insomnia is strongly "
            "recommended.",
            (
                "Get up at the same time every day, including weekends.",
                "Go to bed when sleepy, and leave the bed if you lie awake for long; return when sleepy.",
                "Keep caffeine to the morning, and screens out of the last hour before bed.",
                "If poor sleep lasts a month or more, ask a doctor about therapy for insomnia.",
            ),
            "This week: pick a fixed wake-up time and keep it for seven days.",
            ("scott-2021", "edinger-2021"),
        ),
        Action(
            "eating",
            "self_care",
            "Eat regularly, with more whole foods",
            "In trials, improving the quality of what people ate reduced symptoms of depression. Regular meals "
            "also steady energy and mood. This is about nourishing yourself, not about weight.",
            (
                "Eat something at regular times, even when appetite is low.",
                "Add vegetables, fruit, whole grains, beans or fish where you can.",
                "If eating feels out of control, or food and weight worry you a lot, talk to a doctor.",
            ),
            "This week: plan one regular meal a day that you look forward to.",
            ("firth-2019",),
        ),
        Action(
            "mindfulness",
            "mindfulness",
            "Practise mindfulness for a few minutes a day",
            "Mindfulness programmes bring small to moderate reductions in anxiety, depression and stress, and "
            "mindfulness is part of resilience training that works. Start gently: for some people meditation "
            "brings up difficult feelings.",
            (
                "Use the timer: 5 minutes, sitting comfortably, attention on your breathing.",
                "When your mind wanders, notice where it went and come back to the breath, without judging.",
                "You can keep your eyes open, move, or practise while walking if sitting still is hard.",
                STOP_IF_WORSE,
            ),
            "This week: three 5-minute sessions with the timer.",
            ("goyal-2014", "khoury-2015", "joyce-2018", "farias-2020"),
        ),
    )
}

TAILORING = {
    "loss": "After a loss, grief comes in waves; sharing memories with people who knew them can help.",
    "breakup": "After a breakup, keep in touch with the friends who are yours, and give routines extra care.",
    "disaster": "After a disaster, practical help and being with others who went through it both matter.",
    "illness": "With an illness, your care team can also help with the stress it brings; tell them.",
    "job_loss": "After losing a job, keep a daily structure, and lean on people for leads and practical help.",
    "money": "With money trouble, help with the practical problem (advice services, benefits) eases the stress.",
    "tragedy": "After a tragedy, reactions can come and go for weeks; go gently and keep people close.",
    "pandemic": "During a pandemic, keep contact going in the ways that are safe for you.",
    "other": "Whatever you are going through, you do not have to carry it alone.",
}

APPROVED_SHA256 = "7a2a744546118f84af4290f53185bc1f4cb73bdeb6cb65ea32b9f4cd2d168079"
"""Checksum of the plan content above at its last review (see plans/tests/test_rules.py). Changing any text
changes it: the test then fails until the new text is reviewed and its checksum recorded here."""
