"""Every word a report shows, one dict per language (Swedish first), so code paths hold no text.

Keys are stable identifiers; values are plain text or ``str.format`` templates. Verdict, reason
and grade labels come from the audit layer's label tables so one word has one home.
"""

from __future__ import annotations

from typing import Any

from evalkit.audit.credibility import GRADE_LABELS
from evalkit.audit.goals import REASON_LABELS, VERDICT_LABELS

LANGS = ("sv", "en")

SV: dict[str, Any] = {
    "report_title": "Effektutvärdering: {title}",
    "subtitle": {"measure": "Insats"},
    "portfolio_title": "Arbetsmarknadsinsatser: översikt och prioritering",
    "toc": "Innehåll",
    "sections": {
        "summary": "Sammanfattning",
        "followup": "Uppföljning som görs i dag",
        "estimates": "Effekter: skattningar sida vid sida",
        "path": "Effekten månad för månad efter start",
        "subgroups": "Effekter i undergrupper",
        "diagnostics": "Hur långt kan resultaten litas på?",
        "costs": "Kostnader och besparingar",
        "goals": "Mål och måluppfyllelse",
        "appendix": "Metod och data",
        "footer": "Reproducerbarhet",
        "failed": "Körningen misslyckades",
        "ranking": "Rangordning efter effekt och kostnad per effekt",
        "forest": "Effekter per insats",
        "goal_matrix": "Mål per styrdokument",
        "prob_better": "Sannolikhet att en insats har större effekt än en annan",
        "measures": "Rapporter per insats",
    },
    "lead": {
        "summary": "Det viktigaste först: vad insatsen gav för deltagarna, om målen nås och "
        "hur säkra slutsatserna är.",
        "followup": "Så här följs insatsen upp i dag: hur stor andel av deltagarna som är i "
        "arbete eller studier och varför deltagandet avslutades. Siffrorna säger inget om vad "
        "insatsen orsakade – det visar avsnitten om effekter.",
        "estimates": "Effekten på deltagarna (ATT) mot en jämförbar grupp, med flera metoder. "
        "När metoderna som justerar för skillnader mellan grupperna ger liknande svar är "
        "resultatet mer tillförlitligt. Den ojusterade jämförelsen visar vad dagens "
        "uppföljning antyder.",
        "path": "Effekten månad för månad efter start. Under insatsen är deltagarna ofta "
        "upptagna (inlåsning) och effekten kan först vara negativ.",
        "subgroups": "Effekten i delgrupper. Små grupper ger osäkra skattningar; grupper med "
        "för få personer visas inte.",
        "diagnostics": "Kontroller av om jämförelsegruppen liknar deltagarna, om det finns "
        "jämförbara personer för alla deltagare, och hur känsligt resultatet är.",
        "costs": "Vad insatsen kostar per deltagare jämfört med förändringen i utbetalt "
        "försörjningsstöd.",
        "goals": "Varje mål, från varje styrdokument, med indikator, målvärde, måldatum och "
        "bedömning.",
        "appendix": "Vilka som ingår, hur jämförelsegruppen bildades och vad datakontrollen fann.",
        "ranking": "Insatserna rangordnade efter effekten på andelen i arbete eller studier 12 "
        "månader efter start, och efter kostnad per ytterligare person i arbete eller studier.",
        "prob_better": "Sannolikheten att insatsen i raden har större effekt än insatsen i "
        "kolumnen (normalapproximation, skattningarna behandlas som oberoende).",
        "goal_matrix": "Alla mål för alla insatser, grupperade efter det dokument där målet "
        "beslutades.",
    },
    "headline": {
        "share_up": "Deltagandet ökade {what} med {est} procentenheter ({ci}).",
        "share_down": "Deltagandet minskade {what} med {est} procentenheter ({ci}).",
        "share_unclear": "Vi kan inte visa att deltagandet förändrade {what}: skattningen är "
        "{est} procentenheter, men osäkerheten är stor ({ci}).",
        "sek_up": "Deltagandet ökade {what} med {est} kr per deltagare ({ci}).",
        "sek_down": "Deltagandet minskade {what} med {est} kr per deltagare ({ci}).",
        "sek_unclear": "Vi kan inte visa att deltagandet förändrade {what}: skattningen är "
        "{est} kr per deltagare, men osäkerheten är stor ({ci}).",
        "num_up": "Deltagandet ökade {what} med {est} ({ci}).",
        "num_down": "Deltagandet minskade {what} med {est} ({ci}).",
        "num_unclear": "Vi kan inte visa att deltagandet förändrade {what}: skattningen är "
        "{est}, men osäkerheten är stor ({ci}).",
        "ci": "{level} % KI {lo}–{hi}",
        "ci_wide": "{level} % KI {lo} till {hi}",
        "none": "Det finns ingen effektskattning att sammanfatta.",
        "suppressed": "Skattningen visas inte: den bygger på för få personer.",
        "method": "Metod: {estimator}; {n_treated} deltagare jämförda med {n_control} personer.",
        "credibility": "Tillförlitlighet: {grade}.",
        "goals": "Mål: {counts}.",
        "no_goals": "Inga mål är angivna för insatsen.",
        "what_default": "utfallet {outcome}",
        "followup": "I dagens uppföljning var {share} av deltagarna i arbete eller studier 12 "
        "månader efter start. Den siffran säger inte vad insatsen orsakade: också många som "
        "inte deltar kommer i arbete eller studier. Effekten ovan jämför med en likvärdig grupp.",
    },
    "what": {
        "work_or_study_6m": "andelen i arbete eller studier 6 månader efter start",
        "work_or_study_12m": "andelen i arbete eller studier 12 månader efter start",
        "work_or_study_24m": "andelen i arbete eller studier 24 månader efter start",
        "assistance_sek_12m": "utbetalt försörjningsstöd under de första 12 månaderna",
        "assistance_sek_24m": "utbetalt försörjningsstöd under de första 24 månaderna",
        "assistance_months_12m": "antalet månader med försörjningsstöd under de första 12 "
        "månaderna",
    },
    "outcomes": {
        "work_or_study_6m": "Arbete eller studier, 6 mån",
        "work_or_study_12m": "Arbete eller studier, 12 mån",
        "work_or_study_24m": "Arbete eller studier, 24 mån",
        "assistance_sek_12m": "Försörjningsstöd, mån 1–12",
        "assistance_sek_24m": "Försörjningsstöd, mån 1–24",
        "assistance_months_12m": "Månader med försörjningsstöd, mån 1–12",
        "work_or_study": "Arbete eller studier",
        "assistance_sek": "Försörjningsstöd",
    },
    "estimators": {
        "naive": "Ojusterad jämförelse",
        "regression": "Regressionsjustering",
        "ipw": "Viktning med benägenhetspoäng (IPW)",
        "matching": "Matchning",
        "aipw": "Dubbelt robust (AIPW)",
        "did": "Skillnad i skillnader",
        "twfe": "Tvåvägs fixa effekter",
        "event_study": "Händelsestudie",
        "cs_did": "Callaway–Sant'Anna",
        "dynamic_matching": "Dynamisk matchning",
    },
    "aggregations": {
        "simple": "samtliga",
        "dynamic": "per månad",
        "group": "per startkohort",
        "calendar": "per kalendermånad",
        "att_gt": "kohort × period",
    },
    "columns": {
        "outcome": "Utfall",
        "estimator": "Metod",
        "estimate": "Effekt",
        "ci": "95 % KI",
        "p_value": "p-värde",
        "n_treated": "Deltagare",
        "n_control": "Jämförelsepersoner",
        "horizon": "Tidpunkt",
        "n": "Antal",
        "n_in_work_or_study": "I arbete eller studier",
        "share": "Andel",
        "reason": "Avslutsorsak",
        "subgroup": "Undergrupp",
        "level": "Grupp",
        "covariate": "Bakgrundsvariabel",
        "smd_before": "Skillnad före (SMD)",
        "smd_after": "Skillnad efter (SMD)",
        "rule": "Kontroll",
        "status": "Resultat",
        "value": "Värde",
        "item": "Post",
        "table": "Tabell",
        "description": "Regel",
        "count": "Rader",
        "goal": "Mål",
        "goal_text": "Målformulering",
        "source": "Källa",
        "indicator": "Indikator",
        "target": "Målvärde",
        "deadline": "Måldatum",
        "verdict": "Bedömning",
        "why": "Motivering",
        "measure": "Insats",
        "rank_effect": "Plats (effekt)",
        "rank_cost": "Plats (kostnad)",
        "cost_per_additional": "Kostnad per ytterligare person i arbete/studier",
        "note": "Anmärkning",
        "event_time": "Månad efter start",
        "key": "Uppgift",
        "page": "Rapport",
    },
    "horizons": {
        "exit": "Vid avslut",
        "6m": "6 månader efter start",
        "12m": "12 månader efter start",
        "24m": "24 månader efter start",
    },
    "end_reasons": {
        "arbete_osubventionerat": "Arbete (osubventionerat)",
        "arbete_subventionerat": "Arbete (subventionerat)",
        "studier": "Studier",
        "annan_insats": "Annan insats",
        "avbrott": "Avbrott",
        "flytt": "Flytt",
        "sjukdom_foraldraledighet": "Sjukdom eller föräldraledighet",
        "annat": "Annat",
        "pagaende": "Pågående",
        "other": "Övrigt",
    },
    "covariates": {
        "age": "Ålder",
        "female": "Kvinna",
        "born_europe": "Född i Europa utom Sverige",
        "born_outside_europe": "Född utanför Europa",
        "years_in_sweden": "År i Sverige",
        "edu_gymnasial": "Gymnasial utbildning",
        "edu_eftergymnasial": "Eftergymnasial utbildning",
        "edu_unknown": "Utbildning okänd",
        "household_size": "Hushållets storlek",
        "assistance_months_12m_before": "Månader med försörjningsstöd, 12 mån före",
        "assistance_months_24m_before": "Månader med försörjningsstöd, 24 mån före",
        "assistance_sek_12m_before": "Försörjningsstöd kr, 12 mån före",
        "assistance_sek_24m_before": "Försörjningsstöd kr, 24 mån före",
        "work_months_24m_before": "Månader i arbete, 24 mån före",
        "earlier_measures": "Tidigare insatser",
        "placebo_work_or_study_25m_before": "Arbete eller studier 25 mån före start",
        "placebo_assistance_sek_25_36m_before": "Försörjningsstöd kr 25–36 mån före start",
    },
    "subgroups": {
        "sex": "Kön",
        "age_group": "Åldersgrupp",
        "birth_region": "Födelseregion",
        "education": "Utbildning",
    },
    "levels": {
        "K": "Kvinnor",
        "M": "Män",
        "sverige": "Född i Sverige",
        "europa": "Född i Europa utom Sverige",
        "utanfor_europa": "Född utanför Europa",
        "forgymnasial": "Förgymnasial",
        "gymnasial": "Gymnasial",
        "eftergymnasial": "Eftergymnasial",
        "okand": "Okänd",
        "other": "Övriga",
    },
    "rules": {
        "adjusted": "Metoden justerar för skillnader mellan grupperna",
        "balance": "Grupperna liknar varandra efter justering (största |SMD|)",
        "overlap": "Andel utan jämförbara personer",
        "agreement": "Metoderna ger liknande svar (spridning i standardfel)",
        "pretrend": "Ingen skillnad i trend före start (p-värde)",
        "sensitivity": "Okänd faktor som krävs för att ändra slutsatsen (E-värde)",
        "power": "Minsta effekt som kan upptäckas jämfört med målet",
    },
    "rule_status": {
        "pass": "Godkänd",
        "warn": "Varning",
        "fail": "Underkänd",
        "not_applicable": "Ej tillämplig",
    },
    "grades": GRADE_LABELS["sv"],
    "verdicts": VERDICT_LABELS["sv"],
    "verdict_reasons": REASON_LABELS["sv"],
    "cost_items": {
        "cost_gross": "Kostnad per deltagare, brutto",
        "cost_external_funding": "Extern finansiering per deltagare",
        "cost_net": "Kommunens egen kostnad per deltagare",
        "savings_12m": "Minskat försörjningsstöd per deltagare, 12 mån",
        "savings_24m": "Minskat försörjningsstöd per deltagare, 24 mån",
        "net_cost_12m": "Nettokostnad per deltagare, 12 mån",
        "net_cost_24m": "Nettokostnad per deltagare, 24 mån",
        "cost_per_additional": "Kostnad per ytterligare person i arbete eller studier",
        "net_cost_per_additional": "Nettokostnad per ytterligare person i arbete eller studier",
        "tax_revenue_12m": "Skatteintäkter per deltagare, 12 mån",
        "tax_revenue_24m": "Skatteintäkter per deltagare, 24 mån",
    },
    "cost_views": {"municipality": "Kommunen", "public_finance": "Offentlig sektor"},
    "cost_text": {
        "unavailable": "Kostnadsuppgifter saknas för insatsen.",
        "break_even": "Insatsen har betalat sig genom minskat försörjningsstöd efter {months} "
        "månader.",
        "no_break_even": "Insatsen betalar sig inte genom minskat försörjningsstöd inom {months} "
        "månader.",
        "unbounded": "obegränsat (effekten kan vara noll)",
    },
    "diag": {
        "balance_title": "Skillnader mellan deltagare och jämförelsegrupp före och efter justering",
        "overlap_title": "Benägenhetspoäng hos deltagare och jämförelsegrupp",
        "sensitivity": "Sensitivitet: en okänd faktor måste vara kopplad till både deltagande "
        "och utfall med en riskkvot på minst {e} för att förklara bort effekten ({eci} för "
        "konfidensintervallets gräns).",
        "mde": "Minsta effekt som kan upptäckas med 80 % styrka: {items}.",
        "pretrend": "Test av skillnad i trend före start: p = {p}.",
        "outside": "Andel deltagare utan jämförbara personer: {share}; {n} uteslutna.",
        "placebo": "Placebotest (utfall före start, där effekten ska vara noll)",
        "credibility_title": "Tillförlitlighet för {outcome}: {grade}",
        "failures": "Metoder som inte kunde skattas",
        "none": "Inga diagnostiker finns för den här körningen.",
    },
    "appendix": {
        "population": "Population",
        "n_eligible": "Personer i målgruppen",
        "n_treated": "Deltagare",
        "n_control": "Personer i jämförelsegruppen",
        "intake": "Intagsperiod",
        "comparison": "Jämförelsegrupp",
        "data_mode": "Datakälla",
        "validation": "Datakontroll",
        "n_quarantined": "Rader i karantän (bryter mot en regel och används inte)",
        "quarantine_file": "Karantänfil",
        "no_problems": "Datakontrollen fann inga fel.",
        "disclosure": "Röjandeskydd: antal under {min_cell} och andelar med nämnare under "
        "{min_share} visas inte (–); {n} värden är dolda.",
    },
    "comparison": {
        "not_yet_treated": "personer i målgruppen som ännu inte börjat i insatsen",
        "never_treated": "personer i målgruppen som aldrig deltagit",
        "eligible": "alla personer i målgruppen som inte deltar",
    },
    "data_mode": {
        "registers": "kommunens register",
        "table": "en förberedd tabell med en rad per person",
        "panel": "en förberedd paneltabell",
    },
    "footer": {
        "data_fingerprint": "Datafingeravtryck",
        "evalkit_version": "evalkit-version",
        "commit": "Commit",
        "seed": "Slumpfrö",
        "created": "Skapad",
        "packages": "Paketversioner",
        "params": "Parametrar",
    },
    "failed": {
        "lead": "Rapporten för {title} kunde inte tas fram.",
        "stage": "Steg som misslyckades: {stage}.",
        "what": "Vad som hände: {message}",
        "action": "Övriga insatser påverkas inte. Rätta felet och kör igen; tekniska "
        "detaljer finns i körmappens filer med samma namn som den här sidan (.log, .ipynb).",
        "stages": {
            "params": "kontroll av parameterfilen",
            "data": "inläsning och kontroll av data",
            "analysis": "beräkning av effekter",
            "report": "framställning av rapporten",
            "kernel": "start av beräkningsmotorn",
            "timeout": "beräkningen tog för lång tid",
            "unknown": "okänt steg",
        },
        "types": {
            "ParamsError": "Parameterfilen är felaktig.",
            "DataError": "Data bryter mot en regel som gör analysen meningslös.",
            "MissingTableError": "En tabell som behövs saknas i datakällan.",
            "MissingColumnError": "En kolumn som behövs saknas i en tabell.",
            "PseudonymKeyError": "Nyckeln för pseudonymisering (EVALKIT_PSEUDONYM_KEY) saknas.",
            "InsufficientDataError": "Det finns för få deltagare eller jämförelsepersoner för "
            "att skatta en effekt.",
            "EstimationError": "En effekt kunde inte skattas på dessa data.",
            "RunError": "Körningen av rapporten misslyckades.",
            "other": "Ett oväntat fel inträffade.",
        },
    },
    "portfolio": {
        "not_ranked": "Ej rangordnad",
        "reasons": {
            "failed": "körningen misslyckades",
            "no_estimate": "ingen effektskattning",
            "too_few_participants": "för få deltagare",
            "interval_unbounded": "osäkert (effekten kan vara noll)",
        },
        "status": {"ok": "Klar", "failed": "Misslyckades"},
        "link": "Öppna rapporten",
        "none": "Inga resultat finns i körmappen.",
    },
    "figures": {
        "forest_alt": "Diagram: effekten på {outcome} enligt varje metod, med 95 % "
        "konfidensintervall.",
        "path_alt": "Diagram: effekten på {outcome} per månad efter start, med 95 % "
        "konfidensintervall.",
        "love_alt": "Diagram: standardiserade skillnader per bakgrundsvariabel före och efter "
        "justering.",
        "overlap_alt": "Diagram: fördelning av benägenhetspoäng för deltagare och jämförelsegrupp.",
        "portfolio_alt": "Diagram: effekten på andelen i arbete eller studier 12 månader efter "
        "start per insats, med 95 % konfidensintervall.",
        "pp": "procentenheter",
        "sek": "kr",
        "month": "Månad efter start",
        "before": "Före justering",
        "after": "Efter justering",
        "treated": "Deltagare",
        "control": "Jämförelsegrupp",
        "propensity": "Benägenhetspoäng",
        "share_of_group": "Andel av gruppen",
        "count": "Antal",
        "smd": "Standardiserad skillnad",
    },
    "explore": {
        "measure": "Insats",
        "period": "Period",
        "starts": "Påbörjade",
        "ends": "Avslutade",
        "participants": "Deltagare",
        "households": "Hushåll med försörjningsstöd",
        "amount_sek": "Utbetalt, kr",
        "month": "Månad",
        "table": "Tabell",
        "rule": "Regel",
        "count": "Rader",
        "total": "Totalt",
    },
    "suppressed": "–",
    "missing": "·",
    "yes": "ja",
    "no": "nej",
    "decimal": ",",
    "thousands": "\u00a0",
    "minus": "−",
    "currency": "kr",
}

EN: dict[str, Any] = {
    "report_title": "Impact evaluation: {title}",
    "subtitle": {"measure": "Measure"},
    "portfolio_title": "Labour-market measures: overview and priorities",
    "toc": "Contents",
    "sections": {
        "summary": "Summary",
        "followup": "Today's follow-up",
        "estimates": "Effects: estimates side by side",
        "path": "The effect month by month after start",
        "subgroups": "Effects in subgroups",
        "diagnostics": "How far can the results be trusted?",
        "costs": "Costs and savings",
        "goals": "Goals and whether they are met",
        "appendix": "Method and data",
        "footer": "Reproducibility",
        "failed": "The run failed",
        "ranking": "Ranking by effect and by cost per effect",
        "forest": "Effects by measure",
        "goal_matrix": "Goals by source document",
        "prob_better": "Probability that one measure has a larger effect than another",
        "measures": "Reports by measure",
    },
    "lead": {
        "summary": "The essentials first: what the measure did for participants, whether the "
        "goals are met and how certain the conclusions are.",
        "followup": "The follow-up done today: the share of participants in work or studies and "
        "why participation ended. These figures do not say what the measure caused – the "
        "sections on effects do.",
        "estimates": "The effect on participants (ATT) against a comparable group, by several "
        "methods. When the methods that adjust for differences agree, the result is more "
        "reliable. The unadjusted comparison shows what today's follow-up implies.",
        "path": "The effect month by month after start. During the measure participants are "
        "often occupied (lock-in), so the effect may first be negative.",
        "subgroups": "The effect in subgroups. Small groups give uncertain estimates; groups "
        "with too few people are not shown.",
        "diagnostics": "Checks of whether the comparison group resembles the participants, "
        "whether comparable people exist for every participant, and how sensitive the result is.",
        "costs": "What the measure costs per participant against the change in social "
        "assistance paid.",
        "goals": "Every goal, from every document, with indicator, target, deadline and verdict.",
        "appendix": "Who is included, how the comparison group was formed and what the data "
        "checks found.",
        "ranking": "Measures ranked by their effect on the share in work or studies 12 months "
        "after start, and by cost per additional person in work or studies.",
        "prob_better": "The probability that the row measure has a larger effect than the "
        "column measure (normal approximation, estimates treated as independent).",
        "goal_matrix": "All goals of all measures, grouped by the document that decided them.",
    },
    "headline": {
        "share_up": "Taking part raised {what} by {est} percentage points ({ci}).",
        "share_down": "Taking part lowered {what} by {est} percentage points ({ci}).",
        "share_unclear": "We cannot show that taking part changed {what}: the estimate is {est} "
        "percentage points, but the uncertainty is large ({ci}).",
        "sek_up": "Taking part raised {what} by SEK {est} per participant ({ci}).",
        "sek_down": "Taking part lowered {what} by SEK {est} per participant ({ci}).",
        "sek_unclear": "We cannot show that taking part changed {what}: the estimate is SEK "
        "{est} per participant, but the uncertainty is large ({ci}).",
        "num_up": "Taking part raised {what} by {est} ({ci}).",
        "num_down": "Taking part lowered {what} by {est} ({ci}).",
        "num_unclear": "We cannot show that taking part changed {what}: the estimate is {est}, "
        "but the uncertainty is large ({ci}).",
        "ci": "{level}% CI {lo}–{hi}",
        "ci_wide": "{level}% CI {lo} to {hi}",
        "none": "There is no effect estimate to summarise.",
        "suppressed": "The estimate is not shown: it rests on too few people.",
        "method": "Method: {estimator}; {n_treated} participants compared with {n_control} people.",
        "credibility": "Credibility: {grade}.",
        "goals": "Goals: {counts}.",
        "no_goals": "No goals are given for this measure.",
        "what_default": "the outcome {outcome}",
        "followup": "In today's follow-up, {share} of participants were in work or studies 12 "
        "months after start. That figure does not say what the measure caused: many who do not "
        "take part also find work or studies. The effect above compares with a similar group.",
    },
    "what": {
        "work_or_study_6m": "the share in work or studies 6 months after start",
        "work_or_study_12m": "the share in work or studies 12 months after start",
        "work_or_study_24m": "the share in work or studies 24 months after start",
        "assistance_sek_12m": "social assistance paid in the first 12 months",
        "assistance_sek_24m": "social assistance paid in the first 24 months",
        "assistance_months_12m": "the number of months on social assistance in the first 12 months",
    },
    "outcomes": {
        "work_or_study_6m": "Work or studies, 6 m",
        "work_or_study_12m": "Work or studies, 12 m",
        "work_or_study_24m": "Work or studies, 24 m",
        "assistance_sek_12m": "Assistance, months 1–12",
        "assistance_sek_24m": "Assistance, months 1–24",
        "assistance_months_12m": "Months on assistance, months 1–12",
        "work_or_study": "Work or studies",
        "assistance_sek": "Assistance",
    },
    "estimators": {
        "naive": "Unadjusted comparison",
        "regression": "Regression adjustment",
        "ipw": "Propensity weighting (IPW)",
        "matching": "Matching",
        "aipw": "Doubly robust (AIPW)",
        "did": "Difference in differences",
        "twfe": "Two-way fixed effects",
        "event_study": "Event study",
        "cs_did": "Callaway–Sant'Anna",
        "dynamic_matching": "Dynamic matching",
    },
    "aggregations": {
        "simple": "overall",
        "dynamic": "by month",
        "group": "by start cohort",
        "calendar": "by calendar month",
        "att_gt": "cohort × period",
    },
    "columns": {
        "outcome": "Outcome",
        "estimator": "Method",
        "estimate": "Effect",
        "ci": "95% CI",
        "p_value": "p-value",
        "n_treated": "Participants",
        "n_control": "Comparison persons",
        "horizon": "When",
        "n": "Number",
        "n_in_work_or_study": "In work or studies",
        "share": "Share",
        "reason": "End reason",
        "subgroup": "Subgroup",
        "level": "Group",
        "covariate": "Background variable",
        "smd_before": "Difference before (SMD)",
        "smd_after": "Difference after (SMD)",
        "rule": "Check",
        "status": "Result",
        "value": "Value",
        "item": "Item",
        "table": "Table",
        "description": "Rule",
        "count": "Rows",
        "goal": "Goal",
        "goal_text": "Goal as written",
        "source": "Source",
        "indicator": "Indicator",
        "target": "Target",
        "deadline": "Deadline",
        "verdict": "Verdict",
        "why": "Reason",
        "measure": "Measure",
        "rank_effect": "Rank (effect)",
        "rank_cost": "Rank (cost)",
        "cost_per_additional": "Cost per additional person in work/studies",
        "note": "Note",
        "event_time": "Month after start",
        "key": "Item",
        "page": "Report",
    },
    "horizons": {
        "exit": "At exit",
        "6m": "6 months after start",
        "12m": "12 months after start",
        "24m": "24 months after start",
    },
    "end_reasons": {
        "arbete_osubventionerat": "Work (unsubsidised)",
        "arbete_subventionerat": "Work (subsidised)",
        "studier": "Studies",
        "annan_insats": "Another measure",
        "avbrott": "Dropped out",
        "flytt": "Moved away",
        "sjukdom_foraldraledighet": "Illness or parental leave",
        "annat": "Other",
        "pagaende": "Ongoing",
        "other": "Other",
    },
    "covariates": {
        "age": "Age",
        "female": "Woman",
        "born_europe": "Born in Europe outside Sweden",
        "born_outside_europe": "Born outside Europe",
        "years_in_sweden": "Years in Sweden",
        "edu_gymnasial": "Upper secondary education",
        "edu_eftergymnasial": "Post-secondary education",
        "edu_unknown": "Education unknown",
        "household_size": "Household size",
        "assistance_months_12m_before": "Months on assistance, 12 m before",
        "assistance_months_24m_before": "Months on assistance, 24 m before",
        "assistance_sek_12m_before": "Assistance SEK, 12 m before",
        "assistance_sek_24m_before": "Assistance SEK, 24 m before",
        "work_months_24m_before": "Months in work, 24 m before",
        "earlier_measures": "Earlier measures",
        "placebo_work_or_study_25m_before": "Work or studies 25 m before start",
        "placebo_assistance_sek_25_36m_before": "Assistance SEK 25–36 m before start",
    },
    "subgroups": {
        "sex": "Sex",
        "age_group": "Age group",
        "birth_region": "Region of birth",
        "education": "Education",
    },
    "levels": {
        "K": "Women",
        "M": "Men",
        "sverige": "Born in Sweden",
        "europa": "Born in Europe outside Sweden",
        "utanfor_europa": "Born outside Europe",
        "forgymnasial": "Below upper secondary",
        "gymnasial": "Upper secondary",
        "eftergymnasial": "Post-secondary",
        "okand": "Unknown",
        "other": "Others",
    },
    "rules": {
        "adjusted": "The method adjusts for differences between the groups",
        "balance": "The groups are alike after adjustment (largest |SMD|)",
        "overlap": "Share without comparable people",
        "agreement": "The methods agree (spread in standard errors)",
        "pretrend": "No difference in trend before start (p-value)",
        "sensitivity": "Unknown factor needed to change the conclusion (E-value)",
        "power": "Smallest detectable effect against the goal",
    },
    "rule_status": {
        "pass": "Pass",
        "warn": "Warning",
        "fail": "Fail",
        "not_applicable": "Not applicable",
    },
    "grades": GRADE_LABELS["en"],
    "verdicts": VERDICT_LABELS["en"],
    "verdict_reasons": REASON_LABELS["en"],
    "cost_items": {
        "cost_gross": "Cost per participant, gross",
        "cost_external_funding": "External funding per participant",
        "cost_net": "The municipality's own cost per participant",
        "savings_12m": "Assistance saved per participant, 12 m",
        "savings_24m": "Assistance saved per participant, 24 m",
        "net_cost_12m": "Net cost per participant, 12 m",
        "net_cost_24m": "Net cost per participant, 24 m",
        "cost_per_additional": "Cost per additional person in work or studies",
        "net_cost_per_additional": "Net cost per additional person in work or studies",
        "tax_revenue_12m": "Tax revenue per participant, 12 m",
        "tax_revenue_24m": "Tax revenue per participant, 24 m",
    },
    "cost_views": {"municipality": "Municipality", "public_finance": "Public sector"},
    "cost_text": {
        "unavailable": "There are no cost data for this measure.",
        "break_even": "The measure has paid for itself through lower assistance after {months} "
        "months.",
        "no_break_even": "The measure does not pay for itself through lower assistance within "
        "{months} months.",
        "unbounded": "unbounded (the effect may be zero)",
    },
    "diag": {
        "balance_title": "Differences between participants and comparison group before and "
        "after adjustment",
        "overlap_title": "Propensity scores of participants and comparison group",
        "sensitivity": "Sensitivity: an unknown factor would need a risk ratio of at least {e} "
        "with both participation and outcome to explain the effect away ({eci} for the "
        "interval's bound).",
        "mde": "Smallest effect detectable with 80% power: {items}.",
        "pretrend": "Test of a difference in trend before start: p = {p}.",
        "outside": "Share of participants without comparable people: {share}; {n} excluded.",
        "placebo": "Placebo tests (outcomes before start, where the effect must be zero)",
        "credibility_title": "Credibility for {outcome}: {grade}",
        "failures": "Methods that could not be estimated",
        "none": "There are no diagnostics for this run.",
    },
    "appendix": {
        "population": "Population",
        "n_eligible": "People in the target group",
        "n_treated": "Participants",
        "n_control": "People in the comparison group",
        "intake": "Intake period",
        "comparison": "Comparison group",
        "data_mode": "Data source",
        "validation": "Data checks",
        "n_quarantined": "Rows quarantined (break a rule and are not used)",
        "quarantine_file": "Quarantine file",
        "no_problems": "The data checks found no errors.",
        "disclosure": "Disclosure control: counts under {min_cell} and shares with a "
        "denominator under {min_share} are not shown (–); {n} values are hidden.",
    },
    "comparison": {
        "not_yet_treated": "people in the target group who have not yet started the measure",
        "never_treated": "people in the target group who never took part",
        "eligible": "everyone in the target group not taking part",
    },
    "data_mode": {
        "registers": "the municipality's registers",
        "table": "a prepared table with one row per person",
        "panel": "a prepared panel table",
    },
    "footer": {
        "data_fingerprint": "Data fingerprint",
        "evalkit_version": "evalkit version",
        "commit": "Commit",
        "seed": "Random seed",
        "created": "Created",
        "packages": "Package versions",
        "params": "Parameters",
    },
    "failed": {
        "lead": "The report for {title} could not be produced.",
        "stage": "Stage that failed: {stage}.",
        "what": "What happened: {message}",
        "action": "Other measures are not affected. Fix the problem and run again; technical "
        "details are in the run folder's files named like this page (.log, .ipynb).",
        "stages": {
            "params": "checking the params file",
            "data": "loading and checking the data",
            "analysis": "estimating the effects",
            "report": "producing the report",
            "kernel": "starting the computation engine",
            "timeout": "the computation took too long",
            "unknown": "unknown stage",
        },
        "types": {
            "ParamsError": "The params file is invalid.",
            "DataError": "The data break a rule that makes the analysis meaningless.",
            "MissingTableError": "A required table is missing from the data source.",
            "MissingColumnError": "A required column is missing from a table.",
            "PseudonymKeyError": "The pseudonymisation key (EVALKIT_PSEUDONYM_KEY) is not set.",
            "InsufficientDataError": "There are too few participants or comparison persons to "
            "estimate an effect.",
            "EstimationError": "An effect could not be estimated on these data.",
            "RunError": "Running the report failed.",
            "other": "An unexpected error occurred.",
        },
    },
    "portfolio": {
        "not_ranked": "Not ranked",
        "reasons": {
            "failed": "the run failed",
            "no_estimate": "no effect estimate",
            "too_few_participants": "too few participants",
            "interval_unbounded": "uncertain (the effect may be zero)",
        },
        "status": {"ok": "Done", "failed": "Failed"},
        "link": "Open the report",
        "none": "There are no results in the run folder.",
    },
    "figures": {
        "forest_alt": "Chart: the effect on {outcome} by each method, with 95% confidence "
        "intervals.",
        "path_alt": "Chart: the effect on {outcome} by month after start, with 95% confidence "
        "intervals.",
        "love_alt": "Chart: standardised differences by background variable before and after "
        "adjustment.",
        "overlap_alt": "Chart: distribution of propensity scores of participants and the "
        "comparison group.",
        "portfolio_alt": "Chart: the effect on the share in work or studies 12 months after "
        "start by measure, with 95% confidence intervals.",
        "pp": "percentage points",
        "sek": "SEK",
        "month": "Month after start",
        "before": "Before adjustment",
        "after": "After adjustment",
        "treated": "Participants",
        "control": "Comparison group",
        "propensity": "Propensity score",
        "share_of_group": "Share of group",
        "count": "Number",
        "smd": "Standardised difference",
    },
    "explore": {
        "measure": "Measure",
        "period": "Period",
        "starts": "Started",
        "ends": "Ended",
        "participants": "Participants",
        "households": "Households on assistance",
        "amount_sek": "Paid, SEK",
        "month": "Month",
        "table": "Table",
        "rule": "Rule",
        "count": "Rows",
        "total": "Total",
    },
    "suppressed": "–",
    "missing": "·",
    "yes": "yes",
    "no": "no",
    "decimal": ".",
    "thousands": ",",
    "minus": "−",
    "currency": "SEK",
}

# --- credibility, verdicts and estimate warnings (the credibility helper's keys) -----------------
#: One plain sentence per credibility rule and status, a sentence per grade, per verdict reason,
#: and the words for each estimate warning code (``evalkit.estimators.warnings``).
SV["cred"] = {
    "title": "Tillförlitlighet för {outcome}: {grade}",
    "grade": {
        "hog": "Hög: alla kontroller som kunde ha avslöjat en skev jämförelse klarades.",
        "medel": "Medel: ingen kontroll underkändes, men {reasons}.",
        "lag": "Låg: {reasons}. Skattningen kan spegla vilka som valdes till insatsen snarare "
        "än vad insatsen gjorde, så mål som gäller utfallet bedöms inte.",
    },
    "reason": {
        "adjusted": "metoden justerar inte för skillnader mellan grupperna",
        "participants": "för få deltagare",
        "placebo": "placebotestet",
        "balance": "grupperna liknar inte varandra före start",
        "overlap": "många deltagare saknar jämförbara personer",
        "designs": "en metod med andra antaganden ger ett annat svar",
        "pretrend": "trenderna före start skiljer sig",
        "sensitivity": "en okänd faktor svagare än arbetshistoriken skulle kunna ändra slutsatsen",
        "attrition": "många försvann ur registren före uppföljningen",
        "no_falsification_test": "inget test kunde visa att jämförelsen håller",
    },
    "reason_fail": {
        "adjusted": "metoden justerar inte för skillnader mellan grupperna",
        "participants": "studien har för få deltagare",
        "placebo": "placebotestet underkändes",
        "balance": "grupperna skiljer sig före start även efter justering",
        "overlap": "många deltagare saknar jämförbara personer",
        "designs": "en metod med andra antaganden ger ett tydligt annat svar",
        "pretrend": "trenderna före start skiljer sig",
    },
    "columns": {"rule": "Kontroll", "what": "Vad kontrollen visar", "status": "Resultat"},
    "rules": {
        "adjusted": "Justerad jämförelse",
        "participants": "Antal deltagare",
        "placebo": "Placebotest före start",
        "balance": "Likhet före start",
        "overlap": "Jämförbara personer",
        "designs": "Andra metoder",
        "pretrend": "Trend före start",
        "sensitivity": "Okänd faktor",
        "attrition": "Bortfall",
    },
    "explain": {
        "adjusted": {
            "pass": "Effekten skattas med {estimator}, som jämför deltagarna med personer som "
            "liknade dem före start.",
            "fail": "Effekten är en ojusterad jämförelse: grupperna kan ha skilt sig redan före "
            "start.",
        },
        "participants": {
            "pass": "{n} deltagare. Minst {low} krävs för en bedömning och minst {high} för hög "
            "tillförlitlighet.",
            "warn": "{n} deltagare. Det räcker för en bedömning (minst {low}) men inte för hög "
            "tillförlitlighet (minst {high}).",
            "fail": "{n} deltagare. Minst {low} krävs för att effekten ska bedömas.",
            "not_applicable": "Antalet deltagare är okänt.",
        },
        "placebo": {
            "pass": "Metoden hittar ingen ”effekt” på arbete och försörjningsstöd 25–36 månader "
            "före start, som insatsen inte kan ha orsakat: den är visad vara mindre än den "
            "minsta effekt studien kan upptäcka.",
            "warn": "Metoden hittar ingen säker ”effekt” 25–36 månader före start, men datan "
            "räcker inte för att visa att den är nära noll.",
            "fail": "Metoden hittar en ”effekt” 25–36 månader före start, som insatsen inte kan "
            "ha orsakat (p = {p} efter justering för två test). Deltagarna skiljer sig troligen "
            "från jämförelsegruppen på något som registren inte visar.",
            "not_applicable": "Inget placebotest kunde göras.",
        },
        "balance": {
            "pass": "Efter justeringen skiljer sig grupperna som mest {value} standardavvikelser "
            "(i {column}), räknat över {k} kännetecken och månader före start. Gränsen för "
            "godkänt är {limit}.",
            "warn": "Efter justeringen skiljer sig grupperna som mest {value} standardavvikelser "
            "(i {column}), över gränsen för godkänt ({limit}) men under gränsen för underkänt "
            "({fail}).",
            "fail": "Efter justeringen skiljer sig grupperna fortfarande {value} "
            "standardavvikelser (i {column}); gränsen för underkänt är {fail}.",
            "not_applicable": "Likheten före start kunde inte mätas.",
        },
        "overlap": {
            "pass": "{share} av deltagarna saknar jämförbara personer eller togs bort (andel av "
            "deltagarna; godkänt till och med {limit}).",
            "warn": "{share} av deltagarna saknar jämförbara personer eller togs bort (andel av "
            "deltagarna; godkänt till och med {limit}, underkänt över {fail}).",
            "fail": "{share} av deltagarna saknar jämförbara personer eller togs bort (andel av "
            "deltagarna; underkänt över {fail}). Skattningen gäller bara en del av dem.",
            "not_applicable": "Överlappet kunde inte mätas.",
        },
        "designs": {
            "pass": "{designs} vilar på andra antaganden och ger inte ett säkert annat svar "
            "(minsta p = {p} efter justering).",
            "fail": "{designs} vilar på andra antaganden och ger ett säkert annat svar (p = {p} "
            "efter justering): minst en av metoderna vilar på ett antagande som inte håller.",
            "not_applicable": "Ingen metod med andra antaganden kunde användas här (den klarade "
            "inte sitt eget test av trender före start).",
        },
        "pretrend": {
            "pass": "Deltagare och jämförelsegrupp utvecklades lika före start (p = {p}).",
            "warn": "Svaga tecken på olika utveckling före start (p = {p}).",
            "fail": "Deltagare och jämförelsegrupp utvecklades olika redan före start (p = {p}).",
            "not_applicable": "Ingår i placebotestet och i jämförelsen med andra metoder.",
        },
        "sensitivity": {
            "pass": "En okänd faktor måste vara minst {k} gånger så stark som arbetshistoriken "
            "för att intervallet ska nå {target}.",
            "pass_none": "Ingen tänkbar okänd faktor, hur stark den än är jämfört med "
            "arbetshistoriken, flyttar intervallet till {target}.",
            "warn": "En okänd faktor som bara är {k} gånger så stark som arbetshistoriken skulle "
            "räcka för att intervallet ska nå {target}.",
            "not_applicable": "Intervallet rymmer redan {target}: det finns ingen slutsats att "
            "vända.",
        },
        "attrition": {
            "pass": "{share} av en grupp försvann ur registren före uppföljningen; de vägs upp "
            "och räknas aldrig som utan arbete och försörjningsstöd.",
            "warn": "{share} av en grupp försvann ur registren före uppföljningen (flytt, "
            "dödsfall). De vägs upp, men de som stannade kan skilja sig från dem som försvann.",
            "not_applicable": "Ingen försvann ur registren före uppföljningen.",
        },
    },
    "status": {
        "pass": "Godkänd",
        "warn": "Varning",
        "fail": "Underkänd",
        "not_applicable": "Ej tillämplig",
    },
    "designs": {
        "stacked_did": "Skillnad i skillnader",
        "comparison:eligible": "En jämförelsegrupp av alla i målgruppen",
        "comparison:not_yet_treated": "En jämförelsegrupp av dem som ännu inte börjat",
        "and": "och",
    },
    "design_table": {
        "title": "Jämförelse med metoder som vilar på andra antaganden",
        "lead": "Huvudskattningen förutsätter att registren visar allt som avgör vem som börjar. "
        "Skillnad i skillnader förutsätter i stället lika trender och tar bort fasta "
        "skillnader som registren inte visar; en annan jämförelsegrupp prövar valet av "
        "jämförelsegrupp. Skillnaden testas med sitt standardfel.",
        "design": "Metod",
        "estimate": "Skattning",
        "difference": "Skillnad mot huvudskattningen",
        "p": "p-värde",
        "used": "Används",
        "yes": "ja",
        "no_pretrend": "nej: trenden före start skiljer sig",
    },
    "placebo_table": {
        "title": "Placebotest: utfall före start, där effekten ska vara noll",
        "margin": "Gräns",
        "p_equivalence": "p (nära noll)",
        "p_difference": "p (skillnad)",
        "status": "Resultat",
    },
    "placebo_status": {
        "equivalent": "nära noll",
        "different": "skiljer sig",
        "inconclusive": "oklart",
    },
    "multiplicity": {
        "sup-t": "Intervallen som avgör målen är justerade för att {k} utfall prövas samtidigt "
        "(ett simultant band: gränsen {c} standardfel i stället för 1,96), så att risken "
        "att något av dem bedöms fel inte växer med antalet mål.",
        "bonferroni": "Intervallen som avgör målen är justerade för att {k} utfall prövas "
        "samtidigt (Bonferroni: gränsen {c} standardfel i stället för 1,96).",
        "none": "Bara ett utfall avgör mål: intervallet behöver inte justeras.",
    },
    "attrition": "Lee-gränser för {outcome} (utan antagande om varför personer försvann): "
    "{lo} till {hi}.",
    "subgroups": {
        "title": "Skiljer sig effekten mellan grupper?",
        "lead": "Ett test per indelning av om effekten är lika stor i alla grupper, justerat för "
        "att många test görs (Benjamini–Hochberg). Överlappande intervall betyder inte att en "
        "grupp har större effekt än en annan.",
        "subgroup": "Indelning",
        "p": "p-värde",
        "p_adjusted": "Justerat p-värde",
        "result": "Slutsats",
        "differs": "effekten skiljer sig",
        "same": "ingen påvisad skillnad",
    },
}
SV["goal_text"] = {
    "columns": {"decided": "Beslutat", "measured": "Mätperiod (start)"},
    "units": {"share_points": "procentenheter", "sek": "kr", "share": "", "count": "deltagare"},
    "adjusted": " (justerat för att {k} mål prövas samtidigt)",
    "above": "över",
    "below": "under",
    "uppfyllt": "{id} Uppfyllt: hela intervallet {lo} till {hi}{adj} ligger {side} målet "
    "{target}, och tillförlitligheten är {grade}.",
    "ej_uppfyllt": "{id} Ej uppfyllt: hela intervallet {lo} till {hi}{adj} ligger på fel sida "
    "om målet {target}, och tillförlitligheten är {grade}.",
    "ci_includes_target": "{id} Kan ej bedömas: intervallet {lo} till {hi}{adj} rymmer både "
    "värden som når målet {target} och värden som inte gör det.",
    "target_below_mde": "{id} Kan ej bedömas: målet {target} är mindre än den minsta effekt "
    "studien kan upptäcka ({mde}), och intervallet {lo} till {hi}{adj} rymmer målet.",
    "credibility_low": "{id} Kan ej bedömas: tillförlitligheten är Låg, så skattningen kan inte "
    "avgöra målet.",
    "too_few_participants": "{id} Kan ej bedömas: för få deltagare (minst 30 krävs för en "
    "effekt, minst {min_share} för en andel).",
    "data_missing": "{id} Kan ej bedömas: uppgiften saknas.",
    "run_failed": "{id} Kan ej bedömas: körningen misslyckades.",
    "deadline_not_reached": "{id} Kan ej bedömas ännu: måldatum {deadline} har inte passerats.",
    "provisional": " Med dagens data: {verdict}.",
    "horizon_after_deadline": "{id} Kan ej bedömas: utfallet kan inte ha mätts före måldatum "
    "{deadline}.",
    "no_positive_effect": "{id} Ej uppfyllt: insatsen har ingen positiv effekt att räkna "
    "kostnad per.",
    "descriptive": "{id} {verdict}: {value} för deltagare som började {start} till {end} (de vars "
    "uppföljning slutade senast måldatum), mot målet {target}. Uppföljningen visar utfall, "
    "inte effekt.",
    "descriptive_count": "{id} {verdict}: {value} deltagare mot målet {target}.",
}
SV["warnings"] = {
    "no_convergence": "modellen för vem som deltar konvergerade inte",
    "separation": "några deltagare saknar helt jämförbara personer",
    "poor_overlap": "många deltagare saknar jämförbara personer",
    "extreme_weights": "en enda person väger mycket tungt i jämförelsegruppen",
    "few_treated": "färre än 30 deltagare",
    "pretrend_failed": "grupperna utvecklades olika före start",
    "placebo_failed": "metoden hittar en effekt före start",
    "attrition": "många försvann ur registren",
}
EN["cred"] = {
    "title": "Credibility of {outcome}: {grade}",
    "grade": {
        "hog": "High: every check that could have exposed a biased comparison was passed.",
        "medel": "Medium: no check failed, but {reasons}.",
        "lag": "Low: {reasons}. The estimate may show who was selected for the measure rather "
        "than what the measure did, so goals on this outcome are not judged.",
    },
    "reason": {
        "adjusted": "the method does not adjust for differences between the groups",
        "participants": "too few participants",
        "placebo": "the placebo test",
        "balance": "the groups differ before the start",
        "overlap": "many participants have no comparable persons",
        "designs": "a method with other assumptions gives another answer",
        "pretrend": "the trends before the start differ",
        "sensitivity": "an unknown factor weaker than work history could change the conclusion",
        "attrition": "many left the registers before the follow-up",
        "no_falsification_test": "no test could show that the comparison holds",
    },
    "reason_fail": {
        "adjusted": "the method does not adjust for differences between the groups",
        "participants": "the study has too few participants",
        "placebo": "the placebo test failed",
        "balance": "the groups differ before the start even after adjustment",
        "overlap": "many participants have no comparable persons",
        "designs": "a method with other assumptions gives a clearly different answer",
        "pretrend": "the trends before the start differ",
    },
    "columns": {"rule": "Check", "what": "What the check shows", "status": "Result"},
    "rules": {
        "adjusted": "Adjusted comparison",
        "participants": "Participants",
        "placebo": "Placebo test before start",
        "balance": "Similarity before start",
        "overlap": "Comparable persons",
        "designs": "Other methods",
        "pretrend": "Trend before start",
        "sensitivity": "Unknown factor",
        "attrition": "Attrition",
    },
    "explain": {
        "adjusted": {
            "pass": "The effect is estimated with {estimator}, which compares participants with "
            "persons who resembled them before the start.",
            "fail": "The effect is an unadjusted comparison: the groups may have differed before "
            "the start.",
        },
        "participants": {
            "pass": "{n} participants. At least {low} are needed for a judgement and {high} for "
            "high credibility.",
            "warn": "{n} participants: enough for a judgement (at least {low}) but not for high "
            "credibility (at least {high}).",
            "fail": "{n} participants. At least {low} are needed to judge the effect.",
            "not_applicable": "The number of participants is unknown.",
        },
        "placebo": {
            "pass": "The method finds no 'effect' on work and assistance 25–36 months before "
            "the start, which the measure cannot have caused: it is shown to be smaller than "
            "the smallest effect the study can detect.",
            "warn": "The method finds no clear 'effect' 25–36 months before the start, but the "
            "data cannot show that it is close to zero.",
            "fail": "The method finds an 'effect' 25–36 months before the start, which the "
            "measure cannot have caused (p = {p} adjusted for two tests). Participants probably "
            "differ from the comparison group in something the registers do not show.",
            "not_applicable": "No placebo test could be run.",
        },
        "balance": {
            "pass": "After adjustment the groups differ by at most {value} standard deviations "
            "(in {column}) over {k} characteristics and months before the start. The pass limit "
            "is {limit}.",
            "warn": "After adjustment the groups differ by at most {value} standard deviations "
            "(in {column}): above the pass limit ({limit}), below the fail limit ({fail}).",
            "fail": "After adjustment the groups still differ by {value} standard deviations "
            "(in {column}); the fail limit is {fail}.",
            "not_applicable": "Similarity before the start could not be measured.",
        },
        "overlap": {
            "pass": "{share} of the participants have no comparable persons or were trimmed "
            "(share of participants; pass up to {limit}).",
            "warn": "{share} of the participants have no comparable persons or were trimmed "
            "(share of participants; pass up to {limit}, fail above {fail}).",
            "fail": "{share} of the participants have no comparable persons or were trimmed "
            "(share of participants; fail above {fail}). The estimate covers only some of them.",
            "not_applicable": "Overlap could not be measured.",
        },
        "designs": {
            "pass": "{designs} rest on other assumptions and give no clearly different answer "
            "(smallest adjusted p = {p}).",
            "fail": "{designs} rest on other assumptions and give a clearly different answer "
            "(adjusted p = {p}): at least one of the methods rests on an assumption that fails.",
            "not_applicable": "No method with other assumptions could be used here (it failed "
            "its own test of trends before the start).",
        },
        "pretrend": {
            "pass": "Participants and comparison group developed alike before the start (p = {p}).",
            "warn": "Weak signs of different development before the start (p = {p}).",
            "fail": "Participants and comparison group developed differently before the start "
            "(p = {p}).",
            "not_applicable": "Covered by the placebo test and the comparison with other methods.",
        },
        "sensitivity": {
            "pass": "An unknown factor would have to be at least {k} times as strong as work "
            "history to move the interval to {target}.",
            "pass_none": "No conceivable unknown factor, however strong relative to work "
            "history, moves the interval to {target}.",
            "warn": "An unknown factor only {k} times as strong as work history would move the "
            "interval to {target}.",
            "not_applicable": "The interval already includes {target}: there is no conclusion "
            "to overturn.",
        },
        "attrition": {
            "pass": "{share} of a group left the registers before the follow-up; they are "
            "weighted for and never counted as without work and assistance.",
            "warn": "{share} of a group left the registers before the follow-up (moved, died). "
            "They are weighted for, but those who stayed may differ from those who left.",
            "not_applicable": "No one left the registers before the follow-up.",
        },
    },
    "status": {
        "pass": "Passed",
        "warn": "Warning",
        "fail": "Failed",
        "not_applicable": "Not applicable",
    },
    "designs": {
        "stacked_did": "Difference in differences",
        "comparison:eligible": "A comparison group of everyone eligible",
        "comparison:not_yet_treated": "A comparison group of those who have not yet started",
        "and": "and",
    },
    "design_table": {
        "title": "Comparison with methods resting on other assumptions",
        "lead": "The headline estimate assumes that the registers show everything that decides "
        "who starts. Difference in differences assumes equal trends instead and removes fixed "
        "differences the registers do not show; another comparison group tests the choice of "
        "comparison group. The difference is tested with its standard error.",
        "design": "Method",
        "estimate": "Estimate",
        "difference": "Difference from the headline",
        "p": "p-value",
        "used": "Used",
        "yes": "yes",
        "no_pretrend": "no: the trends before the start differ",
    },
    "placebo_table": {
        "title": "Placebo test: outcomes before the start, where the effect must be zero",
        "margin": "Margin",
        "p_equivalence": "p (close to zero)",
        "p_difference": "p (difference)",
        "status": "Result",
    },
    "placebo_status": {
        "equivalent": "close to zero",
        "different": "differs",
        "inconclusive": "unclear",
    },
    "multiplicity": {
        "sup-t": "The intervals that decide the goals are adjusted because {k} outcomes are "
        "tested at once (a simultaneous band: {c} standard errors instead of 1.96), so the risk "
        "that any of them is judged wrongly does not grow with the number of goals.",
        "bonferroni": "The intervals that decide the goals are adjusted because {k} outcomes are "
        "tested at once (Bonferroni: {c} standard errors instead of 1.96).",
        "none": "Only one outcome decides goals: its interval needs no adjustment.",
    },
    "attrition": "Lee bounds for {outcome} (no assumption about why people left): {lo} to {hi}.",
    "subgroups": {
        "title": "Does the effect differ between groups?",
        "lead": "One test per grouping of whether the effect is equal in all groups, adjusted "
        "for the many tests (Benjamini–Hochberg). Overlapping intervals do not mean that one "
        "group has a larger effect than another.",
        "subgroup": "Grouping",
        "p": "p-value",
        "p_adjusted": "Adjusted p-value",
        "result": "Conclusion",
        "differs": "the effect differs",
        "same": "no difference shown",
    },
}
EN["goal_text"] = {
    "columns": {"decided": "Decided", "measured": "Measured (start)"},
    "units": {
        "share_points": "percentage points",
        "sek": "SEK",
        "share": "",
        "count": "participants",
    },
    "adjusted": " (adjusted because {k} goals are tested at once)",
    "above": "above",
    "below": "below",
    "uppfyllt": "{id} Met: the whole interval {lo} to {hi}{adj} lies {side} the target {target}, "
    "and credibility is {grade}.",
    "ej_uppfyllt": "{id} Not met: the whole interval {lo} to {hi}{adj} lies on the wrong side of "
    "the target {target}, and credibility is {grade}.",
    "ci_includes_target": "{id} Cannot be assessed: the interval {lo} to {hi}{adj} holds values "
    "that reach the target {target} and values that do not.",
    "target_below_mde": "{id} Cannot be assessed: the target {target} is smaller than the "
    "smallest effect the study can detect ({mde}), and the interval {lo} to {hi}{adj} holds "
    "it.",
    "credibility_low": "{id} Cannot be assessed: credibility is Low, so the estimate cannot "
    "decide the goal.",
    "too_few_participants": "{id} Cannot be assessed: too few participants (at least 30 for an "
    "effect, {min_share} for a share).",
    "data_missing": "{id} Cannot be assessed: the value is missing.",
    "run_failed": "{id} Cannot be assessed: the run failed.",
    "deadline_not_reached": "{id} Cannot be assessed yet: the deadline {deadline} has not passed.",
    "provisional": " With today's data: {verdict}.",
    "horizon_after_deadline": "{id} Cannot be assessed: the outcome cannot have been measured "
    "by the deadline {deadline}.",
    "no_positive_effect": "{id} Not met: the measure has no positive effect to compute a cost per.",
    "descriptive": "{id} {verdict}: {value} for participants who started {start} to {end} (those "
    "whose follow-up ended by the deadline), against the target {target}. Follow-up shows "
    "outcomes, not effects.",
    "descriptive_count": "{id} {verdict}: {value} participants against the target {target}.",
}
EN["warnings"] = {
    "no_convergence": "the model of who takes part did not converge",
    "separation": "some participants have no comparable persons at all",
    "poor_overlap": "many participants have no comparable persons",
    "extreme_weights": "a single person weighs heavily in the comparison group",
    "few_treated": "fewer than 30 participants",
    "pretrend_failed": "the groups developed differently before the start",
    "placebo_failed": "the method finds an effect before the start",
    "attrition": "many left the registers",
}

WORDS: dict[str, dict[str, Any]] = {"sv": SV, "en": EN}


def words(lang: str = "sv") -> dict[str, Any]:
    """The wording dict of a language; unknown languages fall back to Swedish."""
    return WORDS.get(lang, SV)


def label(lang: str, group: str, key: Any) -> str:
    """The display label of ``key`` in ``group`` (e.g. an estimator), or the key itself."""
    table = words(lang).get(group) or {}
    return str(table.get(str(key), key)) if key is not None else ""
