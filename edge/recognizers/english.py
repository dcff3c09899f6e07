"""English facts with a written form: street addresses, employers, schools, votes and faith.

The same idea as the Chinese rules next door, for what English chat writes in fixed shapes:
"27 Ashmore Road", "laid off from Corvana", "Senior Policy Analyst", "goes to Greenfield
Primary", "voted Labour". Proper names must be capitalised, so "work at home" names nothing.
Charges and court dates are in `judicial`.
Spans are weak (below `fusion.TRUSTED_RULE_SCORE`): the tagger's longer span stays.
"""

from __future__ import annotations

import re

from memveil.edge.recognizers.common import Rule, RuleRecognizer, longest_per_region
from memveil.edge.span import Span

_NAME_WORD = r"[A-Z][A-Za-z'’\-]+"
_PROPER = _NAME_WORD + r"(?:[ \t]+(?:&[ \t]+|of[ \t]+|and[ \t]+)?" + _NAME_WORD + r"){0,4}"

_STREET_KINDS = (
    r"(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Boulevard|Blvd|Court|Ct|Way|Place|Pl|Terrace|Close|"
    r"Crescent|Parkway|Pkwy|Highway|Hwy|Square|Sq)\.?"
)
_STREET = (
    r"(?:(?i:flat|apt|apartment|unit|suite)[ \t]*[\w-]{1,5},?[ \t]+)?(?<![\w-])\d{1,5}[A-Za-z]?[ \t]+(?:[NSEW]\.?[ \t]+)?" + _NAME_WORD + r"(?:[ \t]+" + _NAME_WORD + r"){0,3}?[ \t]+"
    + _STREET_KINDS + r"(?:,?[ \t]+(?:Apt|Apartment|Unit|Suite|Flat|#)\.?[ \t]*[\w-]+)?"
    r"(?:,[ \t]*" + _NAME_WORD + r"(?:[ \t]+" + _NAME_WORD + r"){0,2})?(?:,?[ \t]*[A-Z]{2}[ \t]+\d{5}(?:-\d{4})?)?"
    r"(?:,?[ \t]*[A-Z]{1,2}\d[A-Z\d]?(?:[ \t]+\d[A-Z]{2})?)?(?![\w])"
)
_WORKS_AT = (
    r"(?<![A-Za-z])(?i:work(?:s|ed|ing)?[ \t]+(?:at|for)|employed[ \t]+(?:at|by)|laid[ \t]+off[ \t]+(?:from|by)|fired[ \t]+from|"
    r"job[ \t]+at|offer[ \t]+from|interning[ \t]+at|intern[ \t]+at)[ \t]+"
)
_ROLE_AT = (
    r"(?<![A-Za-z])(?i:analyst|engineer|manager|nurse|teacher|developer|designer|specialist|director|consultant|accountant|"
    r"associate|assistant|coordinator|officer|technician|lead|scientist|lawyer|paralegal)[ \t]+at[ \t]+"
)
_SCHOOL_KINDS = (
    r"(?:Primary(?:[ \t]+School)?|Elementary(?:[ \t]+School)?|Middle[ \t]+School|High[ \t]+School|Junior[ \t]+High|"
    r"Academy|Prep|Preparatory(?:[ \t]+School)?|Community[ \t]+College|College|University|School)"
)
_ATTENDS = r"(?<![A-Za-z])(?i:goes[ \t]+to|attends|attending|enrolled[ \t]+(?:at|in)|transferring[ \t]+to|starts[ \t]+at|studying[ \t]+at|student[ \t]+at)[ \t]+"
_PARTIES = (
    r"Labour|Conservatives?|Tory|Tories|Lib[ \t]+Dems?|Liberal[ \t]+Democrats?|Reform(?:[ \t]+UK)?|SNP|Plaid|Greens?|"
    r"Democrats?|Republicans?|Trump|Biden|Harris|Obama|Liberals?|NDP|Bloc|Labor|Coalition|"
    # Parties of the other places our users write from.
    r"APC|PDP|NDC|NPP|ANC|EFF|BJP|AAP|ODM|UDA|PAP|DAP|PKR|UMNO|PTI|PPP|Te[ \t]+P[āa]ti[ \t]+M[āa]ori|Sinn[ \t]+F[ée]in|Fianna[ \t]+F[áa]il|Fine[ \t]+Gael"
)
# When, after a vote: "voted Reform the last two times", "voted Te Pāti Māori since 2020".
_VOTE_WHEN = (
    r"(?:[ \t]+(?i:the[ \t]+last[ \t]+(?:two|three|few|\d)[ \t]+times|every[ \t]+time|last[ \t]+time|since[ \t]+(?:19|20)\d{2}|"
    r"in[ \t]+(?:19|20)\d{2}|at[ \t]+the[ \t]+last[ \t]+election))?"
)
# Working for a party: "canvassing for Plaid", "handing out how-to-vote cards for the Greens".
_CAMPAIGNS = (
    r"(?<![A-Za-z])(?i:canvass(?:ed|ing)?|campaign(?:ed|ing)|volunteer(?:ed|ing)|leaflet(?:t?ed|t?ing)|door-knocking|"
    r"handing[ \t]+out[ \t]+(?:how-to-vote[ \t]+cards|leaflets|flyers))[ \t]+for[ \t]+(?:the[ \t]+)?"
)
# Where one worships, with one's part in it: "elder at Calvary Methodist, Adabraka", "usher at
# Our Savior's Lutheran", "Sunday service at Bethesda", "we worship at a … parish in Ikate".
_WORSHIP = (
    r"(?<![A-Za-z])(?i:elder|usher|deacon(?:ess)?|choir(?:[ \t]+member)?|worship[ \t]+team|youth[ \t]+leader|"
    r"sunday[ \t]+school[ \t]+teacher|(?:sunday|church|evening|morning)[ \t]+service|mass|bible[ \t]+study|jumu'?ah|friday[ \t]+prayers?|"
    r"worship)[ \t]+at[ \t]+(?:(?i:a|the)[ \t]+)?" + _PROPER + r"(?:,[ \t]*" + _NAME_WORD + r"|[ \t]+(?i:parish|church))?"
    r"(?:[ \t]+in[ \t]+" + _NAME_WORD + r")?"
)
# Denominations and membership said of a person: "they're strict ghanaian methodists".
_DENOMINATIONS = (
    r"(?i:methodist|lutheran|anglican|baptist|presbyterian|pentecostal|adventist|seventh-day[ \t]+adventist|quaker|"
    r"church[ \t]+of[ \t]+(?:england|ireland|scotland)|jehovah'?s[ \t]+witness|shia|sunni|ismaili|ahmadi)s?"
)
# A trade union one belongs to: "im in the GMB union", "a member of Unison".
_UNION = (
    r"(?<![A-Za-z])(?i:in|member[ \t]+of|joined|rep[ \t]+for)[ \t]+(?:the[ \t]+)?(?P<value>(?:GMB|UNISON|Unison|Unite|RMT|NEU|RCN|BMA|"
    r"Teamsters|UAW|SEIU|AFT|NEA|CWU|PCS|USDAW|NASUWT|EIS|INMO|SIPTU|CUPE|Unifor)(?:[ \t]+(?i:union))?"
    r"|(?!European|Soviet|African|Customs|Postal|Credit)[A-Z][A-Za-z]+[ \t]+(?i:union))(?![A-Za-z])"
)
# An immigration status: "im on a skilled worker visa", "I'm undocumented".
_VISA = (
    r"(?<![A-Za-z])(?i:on|have|got|holding|hold)[ \t]+(?i:a|an|my)[ \t]+(?P<value>(?i:skilled[ \t]+worker|student|work|spousal|spouse|"
    r"H-?1B|H-4|L-1|F-1|OPT|TN|E-2|O-1|dependant|dependent|partner|graduate|bridging|tier[ \t]+[24]|working[ \t]+holiday|"
    r"temporary|caregiver|domestic[ \t]+worker)[ \t]+(?i:visa|permit))"
    r"|(?<![A-Za-z])(?i:i'm|i am|im|he's|she's|they're)[ \t]+(?P<b>(?i:undocumented|an[ \t]+asylum[ \t]+seeker|a[ \t]+refugee|a[ \t]+DACA[ \t]+recipient))"
)
# A party as a person's identity: "she's Labour through and through", "I'm a lifelong Democrat".
_PARTISAN = (
    r"(?<![A-Za-z])(?i:i'm|i am|im|she's|she is|he's|he is|we're|we are|they're|they are)[ \t]+(?:(?i:a|an)[ \t]+)?"
    r"(?:(?i:lifelong|staunch|die-hard|diehard|proud|card-carrying|registered)[ \t]+)?"
)
_VOTED = r"(?<![A-Za-z])(?i:voted|vote|voting|always[ \t]+voted)[ \t]+(?:for[ \t]+)?(?:the[ \t]+)?"


# Job titles: the head noun of a role, with the words that make it one person's title. The
# heads are shared by both rules below; some are only titles written out ("Representative"),
# some only trades said of oneself ("carer").
_HEADS = (
    "analyst engineer manager nurse teacher developer designer specialist director consultant accountant "
    "coordinator officer technician scientist lawyer paralegal professor lecturer researcher coach administrator "
    "architect supervisor adviser advisor counselou?r therapist pharmacist physician surgeon editor producer "
    "librarian instructor planner strategist attorney clerk assistant tester auditor"
).split()
_ROLES = "|".join(
    _HEADS + "theologian carer driver electrician plumber mechanic chef receptionist tutor dentist midwife paramedic "
    "firefighter pilot cashier barista bartender".split() + ["social worker"]
)
_TITLE_HEADS = "|".join(head.capitalize() for head in _HEADS + ["representative", "inspector"])
_ROLE_TAIL = r"(?:[ \t]+(?:and|&)[ \t]+(?:" + _ROLES + r"))?"
# Capitalised, as in a bio or a signature: "Senior Policy Analyst", "Professor of Theology and
# Political Thought". One capitalised word at least before the head, so "Nurse" opening a
# sentence is not a title, and none after a greeting ("Dear Hiring Manager").
_TITLE_CASE = (
    r"(?<![A-Za-z])(?!(?:The|A|An|My|Our|Your|Dear|Hi|Hello|To)[ \t])"
    r"(?:(?:[A-Z][A-Za-z]+[ \t]+(?:(?:and|&)[ \t]+)?){1,4}(?=[A-Z])|(?=[A-Z][a-z]+[ \t]+of[ \t]+[A-Z]))"
    r"(?:" + _TITLE_HEADS + r")"
    r"(?:[ \t]+of[ \t]+[A-Z][a-z]+(?:[ \t]+(?:and|&)[ \t]+[A-Z][a-z]+(?:[ \t]+[A-Z][a-z]+)?)?)?(?![A-Za-z])"
)
# Said of oneself: "I'm a senior carer", "as a tactical specialist", "my role as a theologian".
_SELF_ROLE = (
    r"(?<![A-Za-z])(?i:i'm|i am|im|i work as|i worked as|i've been|i was|my (?:job|role|position) as|as)[ \t]+(?i:a|an)[ \t]+"
    r"(?P<value>(?:(?!(?:good|great|bad|big|huge|proud|terrible|total|complete|real|new)[ \t])[a-z]+[ \t]+){0,3}"
    r"(?:" + _ROLES + r")" + _ROLE_TAIL + r")(?![A-Za-z])"
)

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DATE = (
    r"(?:\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)?\d{2}|(?:19|20)\d{2}-\d{2}-\d{2}|" + _MONTH + r"[ \t]+\d{1,2}(?:st|nd|rd|th)?,?[ \t]+(?:19|20)\d{2}"
    r"|\d{1,2}(?:st|nd|rd|th)?[ \t]+" + _MONTH + r",?[ \t]+(?:19|20)\d{2})"
)
_BIRTH = r"(?<![A-Za-z])(?i:dob|d\.o\.b\.?|date of birth|born on|birthday is|birthday)[ \t]*[:\-]?[ \t]*"
# Faith and orientation said of a person: "Farhan is Muslim", "i'm gay", "my parents are devout Hindus".
_BELIEFS = (
    r"(?i:muslim|hindu|christian|catholic|jewish|sikh|buddhist|atheist|agnostic|mormon|lds|evangelical|protestant|"
    r"orthodox|jain|gay|lesbian|bisexual|bi|queer|trans|transgender|non-binary|nonbinary|asexual)s?"
)
_SAID_OF = (
    r"(?<![A-Za-z])(?:(?i:i'm|i am|im|he's|he is|she's|she is|they're|they are|we're|we are|is|are|was|were|"
    r"came out as|raised))[ \t]+(?:(?i:a|an)[ \t]+)?(?:(?i:devout|practising|practicing|observant|strict|proud)[ \t]+)?"
)


class EnglishFactRecognizer(RuleRecognizer):
    """Street addresses (Detailed Address), employers (Employer/Company Name), job titles
    (Job Title/Rank), schools (School), votes and party work (Political Views/Stance), birth
    dates (Specific Date of Birth), and faith, worship, orientation, union membership and
    immigration status (Sensitive Identity) in English."""

    name = "english_fact"
    rules = (
        Rule(re.compile(r"(?P<value>" + _STREET + r")"), "Detailed Address", 0.5),
        Rule(re.compile(r"(?:" + _WORKS_AT + r"|" + _ROLE_AT + r")(?P<value>" + _PROPER + r")"), "Employer/Company Name", 0.5),
        Rule(re.compile(r"(?P<value>" + _TITLE_CASE + r")"), "Job Title/Rank", 0.5),
        Rule(re.compile(_SELF_ROLE), "Job Title/Rank", 0.5),
        Rule(re.compile(_ATTENDS + r"(?P<value>" + _PROPER + r"[ \t]+" + _SCHOOL_KINDS + r")"), "School", 0.5),
        Rule(re.compile(r"(?P<value>" + _VOTED + r"(?:" + _PARTIES + r")(?![A-Za-z])" + _VOTE_WHEN + r")(?![A-Za-z])"), "Political Views/Stance", 0.5),
        Rule(re.compile(r"(?P<value>" + _CAMPAIGNS + r"(?:" + _PARTIES + r"))(?![A-Za-z])"), "Political Views/Stance", 0.5),
        Rule(
            re.compile(r"(?<![A-Za-z])(?i:is|i'm|im|i am|he's|she's|we're|they're)[ \t]+(?P<value>(?:" + _PARTIES + r")[ \t]+to[ \t]+the[ \t]+bone)"),
            "Political Views/Stance",
            0.5,
        ),
        Rule(re.compile(r"(?P<value>" + _WORSHIP + r")(?![A-Za-z])"), "Sensitive Identity", 0.5),
        Rule(re.compile(_UNION), "Sensitive Identity", 0.5),
        Rule(re.compile(_VISA), "Sensitive Identity", 0.5),
        Rule(
            re.compile(_PARTISAN + r"(?P<value>(?:" + _PARTIES + r")(?:[ \t]+(?i:voter|supporter|member|through and through))?)(?![A-Za-z])"),
            "Political Views/Stance",
            0.5,
        ),
        Rule(re.compile(_BIRTH + r"(?P<value>" + _DATE + r")(?![\d])"), "Specific Date of Birth", 0.5),
        Rule(re.compile(_SAID_OF + r"(?P<value>" + _BELIEFS + r")(?![A-Za-z-])"), "Sensitive Identity", 0.5),
        Rule(
            re.compile(
                _SAID_OF + r"(?:(?i:quite|very|pretty|really)[ \t]+)?(?:(?i:strict|devout|old[ \t]+school|lifelong)[ \t]+)?"
                r"(?P<value>(?:[a-zA-Z]+[ \t]+)?" + _DENOMINATIONS + r")(?![A-Za-z-])"
            ),
            "Sensitive Identity",
            0.5,
        ),
        Rule(
            re.compile(r"(?<![A-Za-z])(?i:religion|faith|denomination)[ \t]*:[ \t]*(?P<value>[A-Za-z][A-Za-z \t-]{2,30}?)[ \t]*(?=$|[\n,;(])", re.M),
            "Sensitive Identity",
            0.5,
        ),
    )

    def analyze(self, text: str) -> list[Span]:
        spans = [s for s in super().analyze(text) if s.type != "Job Title/Rank" or not _inside_a_name(text, s.start)]
        return longest_per_region(spans)


_WORD_BEFORE = re.compile(r"([A-Za-z]+)[ \t]+$")


def _inside_a_name(text: str, start: int) -> bool:
    """A capitalised title that continues a capitalised word ("the Data Protection Officer",
    "Seattle Police Officer") is part of a longer name, not someone's title."""
    before = _WORD_BEFORE.search(text, max(0, start - 30), start)
    return before is not None and (before.group(1)[0].isupper() or before.group(1) == "the") and text[start].isupper()
