"""English word lists for the synthetic corpus: private facts (with their qualifiers) and the
harmless material hard negatives are made of. Written for this project; no benchmark text.

Values are span texts exactly as labelled: no lead-in words, no trailing punctuation.
"""

from __future__ import annotations

# ---------------------------------------------------------------------------------- medical
CONDITIONS = (
    "severe anxiety disorder", "generalized anxiety disorder", "major depressive disorder",
    "moderate depression", "bipolar II disorder", "bipolar disorder", "PTSD", "complex PTSD",
    "OCD", "ADHD", "adult ADHD", "borderline personality disorder", "an eating disorder",
    "bulimia", "anorexia", "panic disorder", "social anxiety", "postpartum depression",
    "type 2 diabetes", "type 1 diabetes", "prediabetes", "gestational diabetes",
    "high blood pressure", "stage 2 hypertension", "high cholesterol", "atrial fibrillation",
    "a heart murmur", "congestive heart failure", "asthma", "severe asthma", "COPD",
    "sleep apnea", "chronic insomnia", "migraines with aura", "chronic migraines", "epilepsy",
    "multiple sclerosis", "early-onset Parkinson's", "stage 3 breast cancer",
    "early-stage prostate cancer", "thyroid cancer", "stage 1 melanoma", "non-Hodgkin lymphoma",
    "Hashimoto's thyroiditis", "hypothyroidism", "an overactive thyroid", "Crohn's disease",
    "ulcerative colitis", "IBS", "celiac disease", "GERD", "a stomach ulcer", "fatty liver disease",
    "hepatitis B", "hepatitis C", "HIV", "herpes", "chlamydia", "HPV", "PCOS", "endometriosis",
    "uterine fibroids", "low sperm count", "erectile dysfunction", "infertility",
    "rheumatoid arthritis", "lupus", "fibromyalgia", "gout", "psoriasis", "severe eczema",
    "chronic kidney disease stage 3", "kidney stones", "a herniated disc at L4-L5",
    "scoliosis", "osteoporosis", "a torn ACL", "tinnitus", "partial hearing loss in one ear",
    "glaucoma", "macular degeneration", "autism spectrum disorder", "dyslexia",
    "alcohol use disorder", "an opioid addiction", "a gambling addiction", "long COVID",
    "a benign brain tumor", "a thyroid nodule", "anemia", "iron deficiency anemia",
    "vitiligo", "alopecia", "a miscarriage", "a high-risk pregnancy",
)
QUALIFIERS = ("mild", "moderate", "severe", "chronic", "recurring", "early-stage")
QUALIFIABLE = (
    "anxiety", "depression", "asthma", "insomnia", "eczema", "psoriasis", "sleep apnea",
    "scoliosis", "tinnitus", "acid reflux", "back pain", "arthritis", "anemia", "hypertension",
)
MEDICATIONS = (
    ("sertraline", ("25mg", "50mg", "100mg")), ("fluoxetine", ("20mg", "40mg")),
    ("escitalopram", ("10 mg", "20 mg")), ("bupropion", ("150mg XL", "300mg")),
    ("venlafaxine", ("75mg", "150 mg")), ("lithium", ("300mg", "600 mg")),
    ("quetiapine", ("25mg", "100mg")), ("lamotrigine", ("100mg", "200 mg")),
    ("Adderall XR", ("10mg", "20mg", "30mg")), ("Vyvanse", ("30mg", "50mg")),
    ("metformin", ("500mg", "850 mg", "1000mg")), ("insulin glargine", ("20 units", "32 units")),
    ("lisinopril", ("10mg", "20 mg")), ("amlodipine", ("5mg", "10mg")),
    ("atorvastatin", ("20mg", "40 mg")), ("levothyroxine", ("50 mcg", "75mcg", "100 mcg")),
    ("prednisone", ("10mg", "40 mg")), ("methotrexate", ("15mg weekly", "20 mg weekly")),
    ("Ozempic", ("0.5mg", "1 mg")), ("Truvada", ("",)), ("Biktarvy", ("",)),
    ("warfarin", ("5mg", "2.5 mg")), ("gabapentin", ("300mg", "600mg")),
    ("oxycodone", ("5mg", "10 mg")), ("buprenorphine", ("8mg", "2 mg")),
    ("propranolol", ("10mg", "40 mg")), ("clonazepam", ("0.5mg", "1 mg")),
    ("Xanax", ("0.25mg", "0.5 mg")), ("spironolactone", ("50mg", "100 mg")),
    ("finasteride", ("1mg",)), ("Clomid", ("50mg",)), ("estradiol", ("2mg",)),
    ("testosterone cypionate", ("100mg a week", "200 mg every two weeks")),
    ("isotretinoin", ("40mg", "20 mg")), ("montelukast", ("10mg",)), ("allopurinol", ("300mg",)),
)
MED_FREQ = ("", "", " daily", " twice a day", " every morning", " at night", " once a day", " as needed")
PROCEDURES = (
    "a colonoscopy", "an endoscopy", "IVF", "two rounds of IVF", "egg freezing",
    "knee replacement surgery", "a hip replacement", "an abortion", "a vasectomy",
    "a hysterectomy", "chemotherapy", "radiation therapy", "a lumpectomy", "a mastectomy",
    "gastric sleeve surgery", "gastric bypass surgery", "a root canal", "LASIK", "a C-section",
    "a biopsy on my thyroid", "a breast biopsy", "heart bypass surgery", "a stent placement",
    "dialysis three times a week", "spinal fusion surgery", "ACL reconstruction",
    "a tonsillectomy", "gallbladder removal", "an appendectomy", "a kidney transplant",
    "electroconvulsive therapy", "a psychiatric evaluation", "a sleep study", "an MRI of my brain",
    "a prostate biopsy", "a cardiac catheterization", "rhinoplasty", "a tummy tuck",
    "hair transplant surgery", "gender-affirming surgery", "an inpatient rehab program",
)
MEASURES = (
    ("blood pressure", ("160/110", "150/95", "142/91", "170/100", "90/55", "138/88")),
    ("A1C", ("8.2%", "7.4%", "9.1%", "6.8%", "10.3%")),
    ("fasting glucose", ("7.8 mmol/L", "142 mg/dL", "126 mg/dL", "9.4 mmol/L")),
    ("LDL", ("190", "172 mg/dL", "4.9 mmol/L")),
    ("total cholesterol", ("265", "6.8 mmol/L")),
    ("TSH", ("6.5", "0.1", "8.9 mIU/L")),
    ("resting heart rate", ("110 bpm", "48 bpm", "102")),
    ("BMI", ("34", "38.5", "17.2", "41")),
    ("eGFR", ("45", "38", "52")),
    ("PSA", ("6.2", "9.8 ng/mL")),
    ("uric acid", ("9.1 mg/dL", "540 umol/L")),
    ("sperm count", ("8 million/mL", "5 million per ml")),
    ("ALT", ("120", "88 U/L")),
    ("hemoglobin", ("9.2 g/dL", "10.1")),
    ("CD4 count", ("350", "480")),
    ("oxygen saturation", ("89%", "91%")),
    ("AMH", ("0.6", "0.9 ng/mL")),
)
MEASURE_JOIN = (" ", " of ", " at ", " was ", " is ", " around ")

# ---------------------------------------------------------------------------- relationships
RELATIONS = (
    "ex-husband", "ex-wife", "ex-boyfriend", "ex-girlfriend", "ex", "stepmother", "stepmom",
    "stepdad", "stepfather", "stepbrother", "stepsister", "half-brother", "half-sister",
    "estranged father", "estranged mother", "estranged brother", "adoptive mother",
    "adoptive parents", "biological father", "birth mother", "fiancé", "fiancée", "husband",
    "wife", "boyfriend", "girlfriend", "partner", "mother-in-law", "father-in-law",
    "sister-in-law", "brother-in-law", "foster son", "foster daughter", "stepson",
    "stepdaughter", "common-law partner", "secret boyfriend",
    "affair partner", "ex-fiancé", "sugar daddy", "co-parent",
)
REL_STATUS = (
    "divorced", "recently divorced", "separated from my husband", "separated from my wife",
    "a single mom", "a single dad", "a widow", "a widower", "engaged", "married for 12 years",
    "going through a divorce", "remarried", "in a long-distance relationship",
    "in an open relationship", "living with my boyfriend", "dating a married man",
    "married but living apart", "a stay-at-home dad", "newly married", "getting divorced",
)
NEUTRAL_KIN = (
    "mom", "dad", "sister", "brother", "friend", "coworker", "colleague", "boss", "manager",
    "neighbor", "roommate", "cousin", "aunt", "uncle", "grandma", "landlord", "teammate",
    "best friend", "classmate", "client", "doctor", "therapist", "lawyer", "tutor",
)
KIN_FEMALE = ("mom", "sister", "aunt", "grandma", "wife", "girlfriend", "daughter", "niece")

# ---------------------------------------------------------------------------- identity
JOBS = (
    "senior software engineer", "software engineer", "backend developer", "data scientist",
    "staff engineer", "QA lead", "product manager", "senior product designer", "UX researcher",
    "charge nurse", "registered nurse", "ICU nurse", "nurse practitioner", "pharmacist",
    "dental hygienist", "physical therapist", "resident physician", "attending surgeon",
    "regional sales manager", "account executive", "sales associate", "store manager",
    "assistant manager", "shift supervisor", "assistant professor of biology",
    "associate professor", "adjunct lecturer", "high school math teacher",
    "kindergarten teacher", "special ed teacher", "school principal", "staff accountant",
    "senior auditor", "financial analyst", "VP of Engineering", "VP of Sales",
    "chief financial officer", "head of marketing", "marketing coordinator", "HR business partner",
    "recruiter", "paralegal", "associate attorney", "junior associate", "police officer",
    "police sergeant", "detective", "firefighter", "paramedic", "staff sergeant",
    "Army captain", "Navy lieutenant", "HVAC technician", "electrician", "journeyman plumber",
    "warehouse associate", "forklift operator", "delivery driver", "truck driver",
    "flight attendant", "airline pilot", "social worker", "case manager", "pastor",
    "graduate research assistant", "postdoc", "bank teller", "loan officer",
    "claims adjuster", "barista", "line cook", "sous chef", "executive assistant",
    "office manager", "IT support specialist", "network administrator", "DevOps engineer",
    "security analyst", "civil engineer", "architect", "project manager", "copywriter",
    "journalist", "editor-in-chief", "real estate agent", "insurance agent",
)
DEGREES = (
    "a master's in economics", "a PhD in chemistry", "an MBA", "a bachelor's in nursing",
    "a law degree", "an associate degree in IT", "a GED", "an MFA in creative writing",
    "a master's in computer science", "a BA in history", "an MD", "a CPA license",
)
FAMOUS_EMPLOYERS = (
    "Google", "Amazon", "Microsoft", "Apple", "Meta", "Netflix", "Walmart", "Target", "Costco",
    "Deloitte", "PwC", "KPMG", "EY", "McKinsey", "Goldman Sachs", "JPMorgan", "Wells Fargo",
    "Tesco", "Sainsbury's", "Barclays", "HSBC", "Kaiser Permanente", "Starbucks", "UPS",
    "FedEx", "Boeing", "Pfizer", "Accenture", "IBM", "Oracle", "Salesforce", "Uber",
    "Home Depot", "Lockheed Martin", "the Mayo Clinic", "Johns Hopkins Hospital",
)
EMPLOYER_SUFFIX = (
    " Plumbing", " Dental", " Logistics", " Capital", " Health", " Labs", " Analytics",
    " Construction", " Insurance", " Legal", " Realty", " Systems", " Marketing", " Bakery",
)
SCHOOL_PATTERNS = (
    "{last} High School", "{city} Community College", "{city} High School", "University of {state}",
    "{state} State University", "{last} Academy", "{city} Technical College",
)
FAMOUS_SCHOOLS = (
    "MIT", "Stanford", "Harvard", "Yale", "Princeton", "UCLA", "UC Berkeley", "NYU",
    "Columbia", "University of Michigan", "Georgia Tech", "Ohio State", "Oxford", "Cambridge",
    "Imperial College London", "UCL", "King's College London", "University of Edinburgh",
    "LSE", "Carnegie Mellon", "Duke", "Purdue", "Penn State", "Arizona State",
)
GRADES = ("1st grade", "2nd grade", "3rd grade", "4th grade", "5th grade", "6th grade",
          "7th grade", "8th grade", "9th grade", "10th grade", "11th grade", "12th grade",
          "Year 5", "Year 8", "Year 10", "kindergarten", "pre-K")
GENDERS = ("woman", "man", "female", "male", "guy", "girl", "trans woman", "trans man",
           "non-binary person")
GENDER_ADJ = ("female", "male", "F", "M")

RELIGIONS_N = (
    "devout Catholic", "practicing Muslim", "Orthodox Jew", "Mormon", "Jehovah's Witness",
    "Buddhist", "born-again Christian", "Hindu", "Sikh", "Seventh-day Adventist", "atheist",
    "evangelical Christian", "Southern Baptist", "Wiccan", "Quaker", "Scientologist",
    "Pentecostal", "agnostic", "Muslim", "Christian", "practicing Jew", "Latter-day Saint",
)
RELIGIONS_V = (
    "converted to Islam", "left the Mormon church", "converted to Catholicism",
    "got baptized as a Jehovah's Witness", "became a Buddhist", "left the church",
    "started wearing a hijab", "converted to Judaism", "joined an evangelical church",
)
POLITICS_N = (
    "registered Democrat", "lifelong Republican", "Labour Party member", "card-carrying Tory",
    "socialist", "libertarian", "member of the Democratic Socialists of America",
    "union organizer", "Lib Dem voter", "Reform UK supporter", "anarchist", "conservative",
    "progressive", "Trump supporter", "Green Party member", "SNP member",
)
POLITICS_V = (
    "voted Green in the last election", "voted Leave", "voted Remain", "support Scottish independence",
    "oppose gun control", "volunteer for the Republican campaign", "support abolishing the police",
    "voted for Trump", "voted for Biden", "support abortion rights", "oppose abortion", "donate to the NRA",
    "marched in the pro-Palestine protest", "canvass for the Democrats every election",
)
ETHNICITIES = (
    "Hispanic", "Latina", "Latino", "half Nigerian", "Native American", "Navajo", "Korean-American",
    "Black", "Jewish", "Roma", "half Japanese", "Arab-American", "Pakistani", "Somali", "Cherokee",
    "Vietnamese-American", "mixed race", "Puerto Rican", "Indian-American", "Irish Traveller",
)
ORIENTATIONS = ("gay", "lesbian", "bisexual", "bi", "pansexual", "asexual", "queer",
                "transgender", "trans", "non-binary", "intersex")

# ---------------------------------------------------------------------------- money
TXN_VERBS = ("paid", "spent", "got charged", "transferred", "sent", "put down", "dropped",
             "wired", "forked out")
TXN_PURPOSES = (
    "for a check-up at a fertility clinic", "for my divorce lawyer", "for bail for my brother",
    "for a paternity test", "for therapy sessions", "for an abortion", "for my rehab program",
    "for a private investigator", "on online poker", "on sports betting", "for a payday loan fee",
    "for an STD test", "for my hair transplant", "to a lawyer for my DUI case", "for botox",
    "for IVF medication", "for a psychiatric evaluation", "to my ex for child support",
    "for my dad's chemo", "for a DNA ancestry test", "for a breathalyzer install in my car",
    "for couples counseling", "to the IRS for back taxes", "for a court fine",
    "for the morning-after pill", "for HIV testing", "to a bankruptcy attorney",
    "to an escort service", "for my mom's nursing home", "for sperm analysis",
    "on a crypto margin call", "for an immigration lawyer", "for a medical marijuana card",
    "for ozempic out of pocket", "for a background check removal service",
    "to a debt settlement company", "for my son's juvenile court lawyer",
)
TXN_TO_PERSON = ("to my sister for her medical bills", "to my ex-wife for alimony",
                 "to my brother to cover his gambling debts", "to my girlfriend for her abortion",
                 "to my dealer", "to a loan shark")
PLAIN_PURCHASES = (
    "at the supermarket", "on groceries", "on a new keyboard", "on lunch", "at Target",
    "on gas", "on a pair of sneakers", "on coffee this week", "on a board game", "at IKEA",
    "on movie tickets", "on a birthday cake", "on parking", "for a haircut", "on books",
)
DEBT_FORMS = (
    "${k},000 in student loans", "credit card debt of about ${m},{h}00", "${k},{h}00 in medical debt",
    "£{k},000 in overdrafts and loans", "${k}k in tax debt", "three maxed-out credit cards",
    "${k}0k left on my mortgage", "${k},000 left on my car loan", "${k},000 in gambling debts",
    "${k}k on a HELOC", "${h}0 in payday loans", "{m} months of unpaid rent",
    "${k},000 in credit card debt", "£{k}k of student debt", "${k}0,000 in business loans",
)
DEBT_V = (
    "owe my parents ${k},000", "owe the IRS ${k}k", "still owe ${k},000 on my car",
    "defaulted on my student loans", "missed three mortgage payments", "borrowed ${k},000 from a loan shark",
    "took out a ${k},000 payday loan", "owe my ex ${k},{h}00", "fell {m} months behind on my mortgage",
    "filed for debt relief last month", "maxed out all my credit cards",
)
WEALTH_FORMS = (
    "${k},000 in savings", "${k}k in my brokerage account", "about ${k}k in crypto", "£{k}k in an ISA",
    "${b}.{d}M in real estate", "${k},000 in my 401(k)", "${b}.{d} million in stock options",
    "two rental properties worth about ${b}.{d}M", "${k},000 from my inheritance", "£{k},000 in premium bonds",
)
SALARY_FORMS = (
    "${k}k a year", "about ${k}k a year", "${k},000 a year", "${m},{h}00 a month after tax",
    "£{k},000 a year", "${hr} an hour", "${k}k base plus bonus", "£{k}k plus commission",
    "${m},{h}00 a month from disability", "${k},000 before tax",
)
CREDIT_FORMS = ("credit score of {cs}", "{cs} credit score", "FICO score of {cs}")

# ---------------------------------------------------------------------------- travel & places
AIRLINES = (("UA", "United"), ("AA", "American"), ("DL", "Delta"), ("BA", "British Airways"),
            ("WN", "Southwest"), ("B6", "JetBlue"), ("AC", "Air Canada"), ("LH", "Lufthansa"),
            ("VS", "Virgin Atlantic"), ("CA", "Air China"), ("MU", "China Eastern"))
AIRPORTS = ("SFO", "JFK", "LAX", "ORD", "SEA", "BOS", "ATL", "DFW", "DEN", "LHR", "LGW", "MAN",
            "EWR", "IAD", "PVG", "PEK", "HND", "YVR", "MIA", "PHX")
CITIES_TRAVEL = ("Shanghai", "Tokyo", "Paris", "Denver", "Chicago", "Boston", "London", "Dublin",
                 "Austin", "Seattle", "Lisbon", "Cancun", "Toronto", "Vegas", "Manchester",
                 "Edinburgh", "Miami", "Nashville", "Rome", "Seoul")
HOTELS = ("Hilton Garden Inn", "Marriott", "Holiday Inn Express", "Hampton Inn", "Premier Inn",
          "Travelodge", "Hyatt Regency", "Best Western", "Motel 6", "Courtyard", "Airbnb",
          "Four Seasons", "Sheraton", "Westin", "La Quinta")
TRAINS = ("Amtrak", "Acela", "Avanti", "LNER", "Eurostar", "Caltrain", "Metro-North", "Southern",
          "GWR", "ScotRail", "NJ Transit")
STATIONS = ("Penn Station", "Union Station", "King's Cross", "Euston", "Manchester Piccadilly",
            "South Station", "30th Street Station", "Grand Central", "Paddington", "Waterloo")
PLACE_SPOTS = (
    "Starbucks", "Walgreens", "CVS", "Planet Fitness", "Whole Foods", "Shell station",
    "Chipotle", "McDonald's", "public library", "Dunkin'", "Tesco Express", "Costa", "Target",
    "Wendy's", "7-Eleven", "Safeway", "Boots", "Pret",
)
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
MONTHS_SHORT = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# ---------------------------------------------------------------------------- legal, minors
JUDICIAL_N = (
    "a DUI conviction from {y}", "a DUI from {y}", "a felony record", "a pending assault charge",
    "a misdemeanor for disorderly conduct", "a restraining order against me", "a warrant for unpaid fines",
    "a domestic violence charge that got dropped", "a suspended license for reckless driving",
    "a juvenile record for vandalism", "two speeding convictions and a license suspension",
    "a sealed record for theft", "a court date for a hit-and-run", "a drug possession charge",
    "a shoplifting conviction", "a bankruptcy filing from {y}", "an open case for driving without insurance",
)
JUDICIAL_V = (
    "got arrested for shoplifting in college", "served 18 months for possession",
    "filed for Chapter 7 bankruptcy in {y}", "was convicted of tax fraud in {y}",
    "sued my employer for wrongful termination", "did community service for a drug charge",
    "got jailed overnight for a bar fight", "pleaded guilty to a DUI in {y}",
    "lost a custody case last year", "was charged with assault in {y}",
)
JUDICIAL_STATE = (
    "on probation until next March", "on parole", "being sued by my former landlord for ${k},000",
    "out on bail", "under investigation for insurance fraud", "in the middle of a custody battle",
    "on probation for a DUI", "facing a misdemeanor charge", "wearing an ankle monitor",
)
MINOR_FACTS = (
    "{a}-year-old daughter was caught vaping at school",
    "{a}-year-old son is being bullied at school",
    "{a}-year-old was just diagnosed with autism", "{a}-year-old son has ADHD",
    "daughter, {t}, is pregnant", "son, {t}, got suspended for fighting",
    "{t}-year-old got arrested for shoplifting", "{a}-year-old still wets the bed",
    "{t}-year-old daughter is self-harming", "{a}-year-old has type 1 diabetes",
    "{t}-year-old son failed three classes this semester", "{a}-year-old is in foster care",
    "{a}-year-old daughter has a severe peanut allergy", "{t}-year-old ran away from home last week",
    "{a}-year-old is on the waitlist for speech therapy", "{t}-year-old is dating a 22-year-old",
    "{a}-year-old goes to {school}", "{a}-year-old son is in {grade} at {school}",
    "daughter is {a} and in {grade} at {school}", "{t}-year-old son came out as gay",
    "{a}-year-old gets picked up at 3:15 from {school}",
)

# ---------------------------------------------------------------------------- messages, secrets
COMM_BODIES = (
    "I'm pregnant and I haven't told anyone yet", "please don't tell mom about the money",
    "I think we should see other people", "the test came back positive",
    "meet me at the back entrance at 9, don't bring your phone",
    "I lost the job, can you cover rent this month", "I still love you, I made a mistake",
    "HR wants to see you Monday, bring your badge", "we can't keep doing this behind her back",
    "I'm checking myself into rehab tomorrow", "the biopsy results are in, call me",
    "don't tell anyone I'm interviewing at other companies", "I'm moving out this weekend",
    "your dad had another fall, he's at the hospital", "I need you to delete those photos",
    "if you tell your wife, I will", "I cheated on the exam, please cover for me",
    "the landlord is evicting us on the 30th", "I can't afford the surgery right now",
    "they're letting 40 people go on Friday, you're on the list",
    "I've been sober 90 days today", "we're getting a divorce, don't tell the kids yet",
    "can you lend me 2k, I'll pay you back after payday", "I'm sorry I hit you",
    "the police came by asking about you", "I'm not coming home tonight",
)
SECRET_V = (
    "closing the Series B at a ${v}M valuation next month", "acquiring {co} for ${v}M",
    "laying off {p}% of staff in March", "merging with {co} before the earnings call",
    "cutting the Boston office entirely next year", "shutting down the hardware line in Q{q}",
    "launching the X{v} chip in October at $399", "dropping {co} as a supplier after Q{q}",
    "raising prices {p}% in January", "moving manufacturing to Vietnam next year",
)
SECRET_S = (
    "Q{q} revenue came in at ${v}.{d}M, {p}% below forecast", "our biggest client, {co}, is leaving at the end of the quarter",
    "the bid for the city contract is ${v}.{d}M", "the new pricing drops to $19 per seat in Q{q}",
    "gross margin fell to {p}% last quarter", "{co} is paying us ${v}0k a year for exclusivity",
    "the recall affects {v},000 units but it's not public yet", "Project Falcon ships on the {d}th at $49",
    "the IPO is scheduled for Q{q} next year", "we lost the {co} account",
    "the board approved a {p}% headcount cut", "churn hit {p}% last month",
)
EXPLOITS = (
    "/api/v1/users endpoint returns full records without auth",
    "SQL injection in the search box on the admin panel", "default admin/admin still works on the NAS",
    "S3 bucket with customer exports is public", "SSH on the bastion accepts root with password login",
    "Jenkins script console is open to the office VLAN",
    "unpatched Log4Shell on the billing server", "IDOR on /invoices/:id lets anyone read other invoices",
    "reset-password token never expires", "RDP exposed on port 3389 with no MFA",
)
ORG_FACTS = (
    "a {v}-person fintech startup in Austin", "a family-run bakery with 6 employees",
    "a nonprofit that runs two shelters in Leeds", "a {v}-person dental practice",
    "a small law firm specializing in immigration", "a seed-stage AI startup with 9 people",
    "a subcontractor for the Department of Defense", "a cannabis dispensary chain in Colorado",
    "a {v}-bed private clinic", "a logistics company with a depot in Reading",
)

# ---------------------------------------------------------------------------- credentials
SEED_WORDS = (
    "apple", "river", "orange", "stone", "candle", "tiger", "velvet", "ocean", "pencil", "window",
    "garden", "rocket", "silver", "mango", "forest", "jacket", "lemon", "castle", "winter", "eagle",
    "bridge", "cotton", "planet", "shadow", "copper", "violin", "desert", "harbor", "meadow", "pepper",
    "thunder", "marble", "anchor", "blossom", "cactus", "dolphin", "ember", "falcon", "glacier", "hazel",
    "island", "jungle", "kettle", "lantern", "magnet", "nectar", "oyster", "puzzle", "quartz", "rabbit",
)
PWD_WORDS = ("sunshine", "dragon", "monkey", "summer", "tiger", "princess", "football", "shadow",
             "coffee", "lucky", "bella", "charlie", "maple", "ocean", "rocket", "winter", "pepper")
WIFI_NAMES = ("the wifi", "the guest wifi", "my router", "the office wifi")

# ---------------------------------------------------------------------------- negatives
HOBBIES = ("run at 6 am", "do yoga on Sundays", "read sci-fi before bed", "play chess online",
           "bake sourdough on weekends", "go hiking when it's sunny", "play the guitar",
           "watch anime", "knit", "lift weights three times a week", "cycle to work",
           "play Minecraft with friends", "binge true crime podcasts", "garden", "journal every night")
LIKES = ("sci-fi novels", "spicy food", "jazz", "horror movies", "black coffee", "cats",
         "Korean dramas", "board games", "rainy days", "sushi", "80s music", "fantasy books",
         "Italian food", "documentaries", "hiking trails", "mechanical keyboards", "green tea")
MOODS = ("a bit tired", "kind of stressed", "pretty bored", "really excited", "a little anxious about it",
         "in a great mood", "kinda burned out this week", "so sleepy", "grumpy", "nervous")
FOODS = ("pasta", "tacos", "a salad", "ramen", "pancakes", "curry", "a burrito", "dumplings",
         "chili", "stir fry", "lasagna", "banana bread", "shakshuka", "grilled salmon")
PUBLIC_FIGURES = ("Taylor Swift", "Elon Musk", "Barack Obama", "Serena Williams", "Keanu Reeves",
                  "Oprah", "Lionel Messi", "King Charles", "Beyoncé", "Bill Gates", "Greta Thunberg",
                  "Stephen King", "Tom Hanks", "LeBron James", "Emma Watson", "Jeff Bezos")
FAMOUS_PLACES = ("the Eiffel Tower", "the Grand Canyon", "Central Park", "the Louvre", "Big Ben",
                 "the Golden Gate Bridge", "Times Square", "Yosemite", "the Colosseum", "Stonehenge",
                 "the British Museum", "Niagara Falls", "Disneyland", "Mount Fuji", "the Great Wall")
BOOKS = ("Dune", "The Martian", "Project Hail Mary", "1984", "Pride and Prejudice", "The Hobbit",
         "Atomic Habits", "Sapiens", "The Three-Body Problem", "Educated", "Neuromancer")
GAMES = ("Zelda", "Stardew Valley", "Elden Ring", "Minecraft", "Baldur's Gate 3", "Tetris",
         "Animal Crossing", "Fortnite", "Hades")
TOPICS = ("photosynthesis", "the French Revolution", "how vaccines work", "compound interest",
          "black holes", "TCP handshakes", "the stock market", "inflation", "machine learning",
          "the water cycle", "quantum computing", "how credit scores work", "the Roman Empire")
GENERIC_MED_Q = (
    "What are the early symptoms of diabetes?", "Is it normal to feel dizzy after donating blood?",
    "Doctors say sleep matters more than we think, is that true?", "How does ibuprofen actually work?",
    "What's considered a normal blood pressure for adults?", "Can stress cause headaches?",
    "How long does the flu usually last?", "Is 8 hours of sleep really necessary?",
    "What's the difference between a cold and allergies?", "How much water should an adult drink a day?",
    "Are antidepressants addictive in general?", "What does a cardiologist do?",
    "Why do people get migraines?", "How is type 2 diabetes usually treated?",
)
GENERIC_JOB_Q = (
    "How much do software engineers usually earn in Seattle?", "What does a product manager do all day?",
    "Is nursing a good career in 2025?", "How do I prepare for a behavioral interview?",
    "What skills do data analysts need?", "Are bootcamps worth it for career changers?",
    "How do people negotiate a raise?", "What's the typical career path for an accountant?",
)
PLAIN_AMOUNTS = ("$12", "$86", "$4.50", "$59.99", "£8", "£24.99", "$30", "86 yuan", "$7", "€15",
                 "$19.99", "£3.20", "$14", "$9.75")
TASKS = (
    "Can you summarize this article for me?", "Write a haiku about autumn.",
    "Explain how TCP handshakes work like I'm five.", "Give me three ideas for a team lunch.",
    "How do I center a div in CSS?", "What's a good name for a houseplant?",
    "Can you make this paragraph sound more professional?", "Translate 'good morning' into Spanish.",
    "Recommend a few podcasts about history.", "What's the capital of Australia?",
    "Help me plan a 3-day workout routine.", "Why does my Python loop print None at the end?",
    "How long should I boil an egg?", "Suggest a playlist for a road trip.",
    "What's the best way to learn Japanese?", "Can you proofread this for grammar?",
    "Give me a recipe that uses leftover rice.", "Explain the difference between RAM and storage.",
)
OPENERS = ("Hi!", "Hey,", "Hello,", "Quick question:", "Ok so,", "Hey there.", "Hmm,", "So,",
           "Hi there,", "Help!", "Morning!", "Ugh.", "Question for you:", "Okay,")
CLOSERS = ("Can you help me write a reply?", "What should I do?", "Any advice?",
           "Can you help me figure this out?", "Thanks in advance!", "Please keep it short.",
           "What do you think?", "Is that normal?", "How should I handle this?",
           "Can you draft something for me?", "Be honest.", "Thanks!", "Help me plan this out.",
           "Should I be worried?", "Could you make a checklist?")

# ---------------------------------------------------------------------------- compositional pools
# (combined in fillers.py so that closed lists do not repeat a few dozen values)
RELIGION_QUAL = ("devout", "practicing", "lapsed", "non-practicing", "born-again", "observant", "")
RELIGION_BASE = ("Catholic", "Muslim", "Jew", "Christian", "Buddhist", "Hindu", "Sikh", "Mormon", "Baptist",
                 "Methodist", "evangelical", "Anglican", "Orthodox Christian", "Quaker", "Presbyterian",
                 "Lutheran", "Shia Muslim", "Sunni Muslim", "Hasidic Jew", "Jehovah's Witness")
RELIGION_FROM = ("Islam", "Catholicism", "Judaism", "Buddhism", "Hinduism", "the Mormon church",
                 "the Jehovah's Witnesses", "evangelical Christianity", "the Baptist church", "Orthodox Judaism")
PARTIES = ("Democrat", "Republican", "Labour", "Tory", "Lib Dem", "Green Party", "SNP", "Reform UK",
           "Libertarian", "Conservative", "Plaid Cymru", "Working Families Party")
PARTY_FORMS = ("registered {p}", "{p} voter", "{p} member", "lifelong {p}", "{p} activist", "{p} donor")
CAUSES = ("Scottish independence", "abortion rights", "gun control", "Brexit", "defunding the police",
          "the death penalty", "stricter immigration limits", "Palestinian statehood", "Medicare for All",
          "a border wall", "rejoining the EU", "trans rights", "a wealth tax", "school vouchers")
CAUSE_VERBS = ("support", "oppose", "campaign for", "protest against", "donate to campaigns for", "march for")
OFFENCES = ("DUI", "shoplifting", "assault", "drug possession", "fraud", "reckless driving", "theft",
            "vandalism", "domestic violence", "tax evasion", "trespassing", "hit-and-run", "identity theft",
            "public intoxication", "burglary", "disorderly conduct", "harassment", "insurance fraud")
OFFENCE_N = ("{o} conviction from {y}", "{o} charge that's still pending", "{o} arrest in {y}", "{o} record",
             "{o} case going to trial next month", "sealed {o} record", "{o} conviction on my record")
OFFENCE_V = ("got arrested for {o} in {y}", "served {n} months for {o}", "pleaded guilty to {o} in {y}",
             "was convicted of {o} in {y}", "got probation for {o}", "was charged with {o} last year",
             "spent a night in jail for {o}")
COMM_OPEN = ("", "", "", "hey, ", "listen, ", "babe, ", "sorry, ", "ok so ", "mom, ", "please, ")
COMM_CORE = (
    "I'm pregnant", "I got fired today", "I'm leaving you", "the test came back positive",
    "I need {amt} by Friday", "meet me at the {place} at {time}", "don't tell {kin} about the money",
    "I saw you with someone last night", "your dad is in the ER", "I'm moving out next week",
    "I can't pay rent this month", "they found a lump", "I've been using again", "I quit my job",
    "the lawyer says we'll lose the house", "I'm not coming back", "I know what you did",
    "delete this after you read it", "I failed the drug test", "the bank froze my account",
    "I told HR everything", "he hit me again", "I'm in love with you", "I want a divorce",
    "the police are asking about you", "I took the money from the register", "I'm sleeping at {kin}'s tonight",
    "my results are back and it's not good", "I can't stop drinking", "they're cutting my hours",
    "I haven't eaten in two days", "I'm being evicted", "you're on the layoff list",
    "I lied about where I was", "I need a loan, don't tell {kin}", "I cheated on the exam",
)
COMM_TAIL = ("", "", "", ", don't tell anyone", ", call me", ", please don't be mad", ", we need to talk",
             ", I'm scared", ", sorry", " and I'm so sorry", ", answer your phone")
COMM_KIN = ("mom", "dad", "your sister", "your brother", "your wife", "my husband", "grandma")
COMM_PLACES = ("park", "diner", "back entrance", "parking garage", "bus station", "old house", "bar on 5th")

# Disputed or unrecognised charges: a transaction record whose purpose is the dispute itself.
DISPUTE_ADJ = ("unauthorized", "fraudulent", "duplicate", "unrecognized", "double", "suspicious", "unexpected")
DISPUTE_NOUN = ("charge", "transaction", "debit", "withdrawal", "payment", "card payment", "direct debit")
DISPUTE_MERCHANTS = ("Amazon", "PayPal", "Uber", "a gas station in Ohio", "an online electronics store", "Netflix",
                     "a hotel in Miami", "Apple.com", "a restaurant I've never been to", "Walmart", "Spotify")
# Religious practice in the user's own life (the practice reveals the belief).
RELIGION_PRACTICES = (
    "Friday prayers at the mosque", "fasting for Ramadan", "Eid prayers",
    "Sunday Mass", "Mass at St. Anne's", "weekly confession", "keeping kosher", "Shabbat dinner on Fridays",
    "Bible study on Wednesdays", "the Diwali puja at the temple", "evening prayers at the gurdwara", "fasting for Lent",
    "Quran class", "choir practice at church", "Sunday service at church", "the Yom Kippur fast",
    "daily namaz", "the parish youth group", "Sabbath on Saturdays", "the pilgrimage to Mecca",
    "temple on Saturdays", "baptism classes",
)
TRIP_KINDS = ("a weekend trip", "a week-long trip", "a road trip", "a short trip", "a family trip", "a business trip",
              "a solo trip", "a ski trip", "a camping trip", "a two-week trip")
TRIP_PLACES = ("Cape Cod", "Lisbon", "the Lake District", "Yosemite", "Vancouver", "Mexico City", "Bali",
               "the Outer Banks", "Edinburgh", "Kyoto", "Montreal", "the Scottish Highlands", "Cape Town", "Banff")
MILITARY = (
    "served {n} years in the {branch}", "did two tours in Afghanistan with the {branch}",
    "did {n} deployments overseas with the {branch}", "served in the {branch} reserves",
    "spent {n} years as an infantry officer in the {branch}",
    "was a medic in the {branch} for {n} years",
)
MILITARY_N = ("a former {branch} medic", "a {branch} veteran", "a retired {branch} sergeant",
              "a {branch} reservist", "a former {branch} officer")
MILITARY_BRANCHES = ("Army", "Navy", "Marines", "Air Force", "Coast Guard", "British Army", "Royal Navy", "RAF",
                     "Canadian Armed Forces", "Australian Army")
