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
        "ranking": "Rangordning efter effekt över hela tidshorisonten",
        "portfolio_costs": "Kostnader per deltagare och per extra månad i arbete eller studier",
        "forest": "Effekter per insats",
        "goal_matrix": "Mål per uppdrag och styrdokument",
        "benchmark": "Jämförelse med liknande kommuner",
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
        "ranking": "Insatserna rangordnade efter hur många fler månader deltagarna var i arbete "
        "eller studier under de första {months} månaderna efter start, jämfört med en likvärdig "
        "grupp. Summan över månaderna räknar med både inlåsningen under insatsen och effekten "
        "efter den. Insatser med låg tillförlitlighet eller för få deltagare rangordnas inte.",
        "portfolio_costs": "Vad insatserna kostar kommunen och den offentliga sektorn per "
        "deltagare efter minskat försörjningsstöd (och skatteintäkter), och vad en extra månad i "
        "arbete eller studier kostar kommunen. Alla belopp är skattningar med 95 % "
        "konfidensintervall, diskonterade till starten.",
        "goal_matrix": "Alla mål för alla insatser, samlade per uppdrag (diarienummer): hur många "
        "som är uppfyllda, så att det går att se om ett uppdrag är slutfört.",
        "benchmark": "Kommunen jämförd med liknande kommuner i Kolada, år för år: kommunens eget "
        "värde, jämförelsekommunernas medelvärde (ovägt) och spridning. Källa: Kolada.",
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
        "work_or_study_months_12m": "antalet månader i arbete eller studier under de första 12 "
        "månaderna",
        "work_or_study_months_24m": "antalet månader i arbete eller studier under de första 24 "
        "månaderna",
        "work_or_study_months_36m": "antalet månader i arbete eller studier under de första 36 "
        "månaderna",
        "assistance_sek_36m": "utbetalt försörjningsstöd under de första 36 månaderna",
    },
    "outcomes": {
        "work_or_study_6m": "Arbete eller studier, 6 mån",
        "work_or_study_12m": "Arbete eller studier, 12 mån",
        "work_or_study_24m": "Arbete eller studier, 24 mån",
        "assistance_sek_12m": "Försörjningsstöd, mån 1–12",
        "assistance_sek_24m": "Försörjningsstöd, mån 1–24",
        "assistance_months_12m": "Månader med försörjningsstöd, mån 1–12",
        "work_or_study_months_12m": "Månader i arbete eller studier, mån 1–12",
        "work_or_study_months_24m": "Månader i arbete eller studier, mån 1–24",
        "work_or_study_months_36m": "Månader i arbete eller studier, mån 1–36",
        "assistance_sek_36m": "Försörjningsstöd, mån 1–36",
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
            "interval_unbounded": "osäkert (effekten kan inte skiljas från noll)",
            "low_credibility": "låg tillförlitlighet",
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
    "decisions": {
        "horizon": {
            "title": "Effekten över hela tidshorisonten",
            "lead": "Extra månader i arbete eller studier och förändrat försörjningsstöd per "
            "deltagare, summerat från start, med 95 % konfidensintervall. Summan över månaderna "
            "räknar med både inlåsningen under insatsen och effekten efter den.",
            "months": "Mån 1–{months}",
            "work_months": "Extra månader i arbete eller studier",
            "assistance": "Förändrat försörjningsstöd, kr",
            "lock_in": "Inlåsning: den sammanlagda effekten vänder uppåt efter {months} månader "
            "({ci}).",
            "no_lock_in": "Ingen inlåsning: effekten är positiv från start ({ci}).",
            "lock_in_not_within": "Den sammanlagda effekten har inte vänt uppåt inom {months} "
            "månader.",
            "lock_in_ci": "95 % KI {lo}–{hi} månader",
            "lock_in_ci_open": "95 % KI {lo} månader eller längre än tidshorisonten",
            "rule": {
                "params": "Tidshorisonten, {months} månader, är vald i parameterfilen.",
                "duration_plus_12": "Tidshorisonten, {months} månader, är insatsens typiska "
                "längd ({duration} månader) plus 12 månader, minst 24.",
                "shortened": "Tidshorisonten är förkortad till {months} månader: för få "
                "deltagare kan följas längre.",
            },
            "method": "Metod: dubbelt robust (AIPW) månad för månad med samma "
            "benägenhetsmodell för alla månader; {n_treated} deltagare följda i {months} månader.",
            "none": "Effekten över tidshorisonten kan inte beräknas: {reason}.",
            "reasons": {
                "no_monthly_outcomes": "data saknar utfall månad för månad",
                "too_few_participants": "för få deltagare kan följas i minst 12 månader",
                "no_estimate": "skattningen misslyckades",
            },
        },
        "costs": {
            "title": "Kostnader och besparingar per perspektiv",
            "items": {
                "cost_gross": "Kostnad per deltagare, brutto",
                "cost_external_funding": "Extern finansiering per deltagare",
                "cost_net": "Kommunens egen kostnad per deltagare",
                "savings": "Minskat försörjningsstöd per deltagare, mån 1–{months}",
                "net_cost": "Nettokostnad per deltagare, mån 1–{months}",
                "tax_revenue": "Skatteintäkter från fler månader i arbete, mån 1–{months}",
                "cost_per_extra_month_in_work": "Nettokostnad per extra månad i arbete eller "
                "studier, mån 1–{months}",
                "net_cost_per_additional": "Nettokostnad per extra person i arbete eller studier "
                "i månad {months}",
                "cost_per_additional": "Kostnad per extra person i arbete eller studier efter "
                "12 månader",
            },
            "book": "bokförd kostnad",
            "note": "Kostnaderna är bokförda belopp utan osäkerhet. Övriga belopp är skattningar "
            "med 95 % konfidensintervall{discounted}.",
            "discounted": ", diskonterade till starten med {rate} % per år",
            "break_even": "Kommunen får tillbaka sin egen kostnad genom minskat "
            "försörjningsstöd efter {months} månader ({ci}).",
            "break_even_ci": "95 % KI {lo}–{hi} månader",
            "break_even_ci_open": "95 % KI {lo} månader eller längre än {horizon} månader",
            "no_break_even": "Kommunen får inte tillbaka sin egen kostnad genom minskat "
            "försörjningsstöd inom {months} månader.",
            "reasons": {
                "effect_negative": "saknas: effekten är negativ",
                "effect_indistinguishable_from_zero": "obegränsat: effekten kan inte skiljas "
                "från noll",
                "data_missing": "uppgift saknas",
            },
            "assumptions_title": "Antaganden (ändras i parameterfilen under costs:)",
            "assumptions": {
                "discount_rate": "Diskonteringsränta {value} % per år, real (Trafikverkets "
                "kalkylvärden, ASEK).",
                "monthly_wage_sek": "Månadslön i arbete {value} kr: antagen ingångslön i nivå "
                "med kollektivavtalens lägstalöner (Medlingsinstitutet).",
                "income_tax_rate": "Kommunal inkomstskatt {value} %: genomsnittlig total "
                "kommunalskatt 2024 (SCB).",
                "employer_contribution_rate": "Arbetsgivaravgifter {value} % (Skatteverket, 2024).",
                "work_share": "Andel av månaderna i arbete eller studier som är arbete: {value} "
                "% (antagande; studier ger ingen skatt).",
            },
        },
        "portfolio": {
            "rank": "Plats",
            "credibility": "Tillförlitlighet",
            "effect": "Extra månader i arbete/studier, mån 1–{months}",
            "effect_12": "Mån 1–12",
            "p_best": "Sannolikhet att vara bäst",
            "lock_in": "Inlåsning, månader",
            "municipality": "Kommunens nettokostnad per deltagare, kr",
            "public": "Offentliga sektorns nettokostnad per deltagare, kr",
            "per_month": "Nettokostnad per extra månad i arbete/studier, kr",
            "rank_cost": "Plats (kostnad)",
            "break_even": "Kommunen har fått tillbaka kostnaden, månad",
            "not_within": "> {months}",
            "pays": "betalar sig",
            "reasons": {
                "effect_negative": "ingen: negativ effekt",
                "effect_indistinguishable_from_zero": "obegränsat",
                "data_missing": "–",
            },
            "rate_note": "Diskonteringsränta {rate} % per år (ASEK). Obegränsat: effektens "
            "konfidensintervall innehåller noll, så kostnaden per extra månad kan vara hur stor "
            "som helst. Ingen: effekten är negativ, så det finns ingen kostnad per extra månad. "
            "> {months}: kommunen har inte fått tillbaka kostnaden inom tidshorisonten.",
            "p_high": "> 99 %",
            "p_low": "< 1 %",
            "none_ranked": "Ingen insats kan rangordnas.",
            "p_note": "Sannolikheten att vara bäst: andelen av {draws} samtidiga simuleringar av "
            "alla rangordnade insatsers effekter (normalfördelade kring skattningen, oberoende) "
            "där insatsen har störst effekt. Inlåsning: månaden då den sammanlagda effekten är "
            "som lägst, med 95 % KI; > {months}: inte inom tidshorisonten.",
            "namnd_link": "Sammanfattning för nämnden (en sida, för utskrift)",
            "json_link": "Siffrorna som fil (portfolio.json)",
            "forest_alt": "Diagram: extra månader i arbete eller studier under de första "
            "{months} månaderna per insats, med 95 % konfidensintervall.",
        },
        "commissions": {
            "summary": "{dnr}: {parts}",
            "of": "{n} av {total} mål uppfyllda",
            "of_one": "{n} av {total} mål uppfyllt",
            "counts": {
                "delvis": "{n} delvis uppfyllt",
                "ej_uppfyllt": "{n} ej uppfyllt",
                "kan_ej_bedomas": "{n} kan ej bedömas",
            },
            "status": {
                "fulfilled": "Uppdraget är slutfört: alla mål är uppfyllda.",
                "not_fulfilled": "Uppdraget är inte slutfört: minst ett mål är inte uppfyllt.",
                "cannot_judge": "Uppdraget kan inte bedömas ännu.",
                "partly": "Uppdraget är delvis slutfört.",
            },
            "decided": "beslutat {date}",
            "period": "Deltagare som började {start}–{end}, följda till {end_data}",
            "period_all": "Mätperiod för alla mål: deltagare som började {start}–{end}, följda i "
            "registren till {end_data}.",
            "indicators": {
                "participants": "Antal deltagare",
                "share_work_or_study_exit": "Andel i arbete eller studier vid avslut",
                "share_completed": "Andel som fullföljde",
                "share_work_or_study_6m": "Andel i arbete eller studier 6 mån efter start",
                "share_work_or_study_12m": "Andel i arbete eller studier 12 mån efter start",
                "share_work_or_study_24m": "Andel i arbete eller studier 24 mån efter start",
                "effect_work_or_study_6m": "Effekt på arbete eller studier 6 mån efter start",
                "effect_work_or_study_12m": "Effekt på arbete eller studier 12 mån efter start",
                "effect_work_or_study_24m": "Effekt på arbete eller studier 24 mån efter start",
                "effect_assistance_sek_12m": "Effekt på försörjningsstöd mån 1–12",
                "effect_assistance_sek_24m": "Effekt på försörjningsstöd mån 1–24",
                "net_saving_per_participant": "Nettobesparing per deltagare",
                "cost_per_additional_in_work_or_study": "Kostnad per extra person i arbete "
                "eller studier",
            },
            "columns": {
                "measure": "Insats",
                "goal": "Mål",
                "indicator": "Indikator",
                "target": "Målvärde",
                "deadline": "Måldatum",
                "period": "Mätperiod",
                "value": "Utfall",
                "verdict": "Bedömning",
            },
        },
        "benchmark": {
            "source": "Källa: Kolada ({file}); jämförelsekommuner: {peers}.",
            "own": "eget värde ur kommunens register",
            "suppressed": "för få avslutade för att visas",
            "columns": {
                "kpi": "Nyckeltal",
                "period": "År",
                "own": "Kommunen",
                "mean": "Jämförelsekommuner, medel",
                "range": "Lägst–högst",
                "n": "Antal kommuner",
            },
            "none": "Inga Kolada-uppgifter: {reason}.",
            "reasons": {"unreadable_export": "filen kunde inte läsas", "no_values": "inga värden"},
        },
        "namnd": {
            "title": "Arbetsmarknadsinsatser: sammanfattning för nämnden",
            "file_title": "Sammanfattning för nämnden",
            "lead": "Effekt över {months} månader från start jämfört med en likvärdig grupp, "
            "kommunens nettokostnad per deltagare, tillförlitlighet och mål. Intervallen är 95 % "
            "konfidensintervall.",
            "columns": {
                "measure": "Insats",
                "effect": "Extra månader i arbete/studier, mån 1–{months}",
                "net_cost": "Kommunens nettokostnad per deltagare, kr",
                "credibility": "Tillförlitlighet",
                "goals": "Mål",
            },
            "goals": "{met} av {total} uppfyllda",
            "goals_detail": "{met} av {total} uppfyllda; {open} kan ej bedömas",
            "commissions": "Uppdrag",
            "note": "Belopp diskonterade med {rate} % per år. Negativ nettokostnad: insatsen "
            "sparar mer försörjningsstöd än den kostar. Detaljer: index.html.",
        },
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
        "ranking": "Ranking by the effect over the whole horizon",
        "portfolio_costs": "Costs per participant and per extra month in work or studies",
        "forest": "Effects by measure",
        "goal_matrix": "Goals by commission and source document",
        "benchmark": "Comparison with similar municipalities",
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
        "ranking": "Measures ranked by how many more months participants spent in work or "
        "studies in the first {months} months after start, against a comparable group. The "
        "sum over the months counts both the lock-in during the measure and the effect after "
        "it. Measures with low credibility or too few participants are not ranked.",
        "portfolio_costs": "What the measures cost the municipality and the public sector per "
        "participant after lower social assistance (and tax revenue), and what one extra month "
        "in work or studies costs the municipality. Every amount is an estimate with a 95% "
        "confidence interval, discounted to the start.",
        "goal_matrix": "All goals of all measures, gathered by commission (diarienummer): how "
        "many are met, so that one can tell whether a commission is done.",
        "benchmark": "The municipality against similar municipalities in Kolada, year by year: "
        "its own value, the peers' (unweighted) mean and range. Source: Kolada.",
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
        "work_or_study_months_12m": "the number of months in work or studies in the first 12 "
        "months",
        "work_or_study_months_24m": "the number of months in work or studies in the first 24 "
        "months",
        "work_or_study_months_36m": "the number of months in work or studies in the first 36 "
        "months",
        "assistance_sek_36m": "social assistance paid in the first 36 months",
    },
    "outcomes": {
        "work_or_study_6m": "Work or studies, 6 m",
        "work_or_study_12m": "Work or studies, 12 m",
        "work_or_study_24m": "Work or studies, 24 m",
        "assistance_sek_12m": "Assistance, months 1–12",
        "assistance_sek_24m": "Assistance, months 1–24",
        "assistance_months_12m": "Months on assistance, months 1–12",
        "work_or_study_months_12m": "Months in work or studies, months 1–12",
        "work_or_study_months_24m": "Months in work or studies, months 1–24",
        "work_or_study_months_36m": "Months in work or studies, months 1–36",
        "assistance_sek_36m": "Assistance, months 1–36",
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
            "interval_unbounded": "uncertain (the effect cannot be told from zero)",
            "low_credibility": "low credibility",
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
    "decisions": {
        "horizon": {
            "title": "The effect over the whole horizon",
            "lead": "Extra months in work or studies and the change in social assistance per "
            "participant, summed from the start, with 95% confidence intervals. The sum over the "
            "months counts both the lock-in during the measure and the effect after it.",
            "months": "Months 1–{months}",
            "work_months": "Extra months in work or studies",
            "assistance": "Change in social assistance, SEK",
            "lock_in": "Lock-in: the total effect turns upward after {months} months ({ci}).",
            "no_lock_in": "No lock-in: the effect is positive from the start ({ci}).",
            "lock_in_not_within": "The total effect has not turned upward within {months} months.",
            "lock_in_ci": "95% CI {lo}–{hi} months",
            "lock_in_ci_open": "95% CI {lo} months or beyond the horizon",
            "rule": {
                "params": "The horizon, {months} months, is set in the params file.",
                "duration_plus_12": "The horizon, {months} months, is the measure's typical "
                "duration ({duration} months) plus 12 months, at least 24.",
                "shortened": "The horizon is shortened to {months} months: too few participants "
                "can be followed longer.",
            },
            "method": "Method: doubly robust (AIPW) month by month with the same propensity model "
            "for every month; {n_treated} participants followed for {months} months.",
            "none": "The effect over the horizon cannot be computed: {reason}.",
            "reasons": {
                "no_monthly_outcomes": "the data have no month-by-month outcomes",
                "too_few_participants": "too few participants can be followed for 12 months",
                "no_estimate": "the estimation failed",
            },
        },
        "costs": {
            "title": "Costs and savings per perspective",
            "items": {
                "cost_gross": "Cost per participant, gross",
                "cost_external_funding": "External funding per participant",
                "cost_net": "The municipality's own cost per participant",
                "savings": "Lower social assistance per participant, months 1–{months}",
                "net_cost": "Net cost per participant, months 1–{months}",
                "tax_revenue": "Tax revenue from more months in work, months 1–{months}",
                "cost_per_extra_month_in_work": "Net cost per extra month in work or studies, "
                "months 1–{months}",
                "net_cost_per_additional": "Net cost per extra person in work or studies in "
                "month {months}",
                "cost_per_additional": "Cost per extra person in work or studies after 12 months",
            },
            "book": "book cost",
            "note": "Costs are book figures without uncertainty. Other amounts are estimates "
            "with 95% confidence intervals{discounted}.",
            "discounted": ", discounted to the start at {rate}% per year",
            "break_even": "The municipality recovers its own cost through lower social "
            "assistance after {months} months ({ci}).",
            "break_even_ci": "95% CI {lo}–{hi} months",
            "break_even_ci_open": "95% CI {lo} months or beyond {horizon} months",
            "no_break_even": "The municipality does not recover its own cost through lower "
            "social assistance within {months} months.",
            "reasons": {
                "effect_negative": "none: the effect is negative",
                "effect_indistinguishable_from_zero": "unbounded: the effect cannot be told "
                "from zero",
                "data_missing": "not available",
            },
            "assumptions_title": "Assumptions (set in the params file under costs:)",
            "assumptions": {
                "discount_rate": "Discount rate {value}% per year, real (the Swedish transport "
                "appraisal values, ASEK).",
                "monthly_wage_sek": "Monthly wage in work SEK {value}: an assumed entry wage of "
                "the order of collective agreements' lowest wages (Medlingsinstitutet).",
                "income_tax_rate": "Municipal income tax {value}%: mean total municipal tax rate "
                "2024 (Statistics Sweden).",
                "employer_contribution_rate": "Employer contributions {value}% (Swedish Tax "
                "Agency, 2024).",
                "work_share": "Share of the months in work or studies that are work: {value}% "
                "(assumption; studies pay no tax).",
            },
        },
        "portfolio": {
            "rank": "Rank",
            "credibility": "Credibility",
            "effect": "Extra months in work/studies, months 1–{months}",
            "effect_12": "Months 1–12",
            "p_best": "Probability of being best",
            "lock_in": "Lock-in, months",
            "municipality": "Municipality's net cost per participant, SEK",
            "public": "Public sector's net cost per participant, SEK",
            "per_month": "Net cost per extra month in work/studies, SEK",
            "rank_cost": "Rank (cost)",
            "break_even": "Municipality has recovered its cost, month",
            "not_within": "> {months}",
            "pays": "pays for itself",
            "reasons": {
                "effect_negative": "none: negative effect",
                "effect_indistinguishable_from_zero": "unbounded",
                "data_missing": "–",
            },
            "rate_note": "Discount rate {rate}% per year (ASEK). Unbounded: the effect's "
            "confidence interval includes zero, so the cost per extra month may be any size. "
            "None: the effect is negative, so there is no cost per extra month. > {months}: the "
            "municipality has not recovered its cost within the horizon.",
            "p_high": "> 99%",
            "p_low": "< 1%",
            "none_ranked": "No measure can be ranked.",
            "p_note": "Probability of being best: the share of {draws} joint simulations of all "
            "ranked measures' effects (normal around the estimate, independent) in which the "
            "measure has the largest effect. Lock-in: the month in which the total effect is "
            "lowest, with its 95% CI; > {months}: not within the horizon.",
            "namnd_link": "Summary for the committee (one page, for printing)",
            "json_link": "The figures as a file (portfolio.json)",
            "forest_alt": "Chart: extra months in work or studies in the first {months} months "
            "by measure, with 95% confidence intervals.",
        },
        "commissions": {
            "summary": "{dnr}: {parts}",
            "of": "{n} of {total} goals met",
            "of_one": "{n} of {total} goals met",
            "counts": {
                "delvis": "{n} partly met",
                "ej_uppfyllt": "{n} not met",
                "kan_ej_bedomas": "{n} cannot be judged",
            },
            "status": {
                "fulfilled": "The commission is done: every goal is met.",
                "not_fulfilled": "The commission is not done: at least one goal is not met.",
                "cannot_judge": "The commission cannot be judged yet.",
                "partly": "The commission is partly done.",
            },
            "decided": "decided {date}",
            "period": "Participants who started {start}–{end}, followed to {end_data}",
            "period_all": "Measurement period of every goal: participants who started "
            "{start}–{end}, followed in the registers to {end_data}.",
            "indicators": {
                "participants": "Number of participants",
                "share_work_or_study_exit": "Share in work or studies at exit",
                "share_completed": "Share who completed",
                "share_work_or_study_6m": "Share in work or studies 6 m after start",
                "share_work_or_study_12m": "Share in work or studies 12 m after start",
                "share_work_or_study_24m": "Share in work or studies 24 m after start",
                "effect_work_or_study_6m": "Effect on work or studies 6 m after start",
                "effect_work_or_study_12m": "Effect on work or studies 12 m after start",
                "effect_work_or_study_24m": "Effect on work or studies 24 m after start",
                "effect_assistance_sek_12m": "Effect on social assistance, months 1–12",
                "effect_assistance_sek_24m": "Effect on social assistance, months 1–24",
                "net_saving_per_participant": "Net saving per participant",
                "cost_per_additional_in_work_or_study": "Cost per extra person in work or studies",
            },
            "columns": {
                "measure": "Measure",
                "goal": "Goal",
                "indicator": "Indicator",
                "target": "Target",
                "deadline": "Deadline",
                "period": "Measurement period",
                "value": "Value",
                "verdict": "Verdict",
            },
        },
        "benchmark": {
            "source": "Source: Kolada ({file}); peers: {peers}.",
            "own": "own value from the municipality's registers",
            "suppressed": "too few ended to be shown",
            "columns": {
                "kpi": "Key figure",
                "period": "Year",
                "own": "Municipality",
                "mean": "Peers, mean",
                "range": "Lowest–highest",
                "n": "Municipalities",
            },
            "none": "No Kolada figures: {reason}.",
            "reasons": {
                "unreadable_export": "the file could not be read",
                "no_values": "no values",
            },
        },
        "namnd": {
            "title": "Labour-market measures: summary for the committee",
            "file_title": "Summary for the committee",
            "lead": "Effect over {months} months from the start against a comparable group, the "
            "municipality's net cost per participant, credibility and goals. Intervals are 95% "
            "confidence intervals.",
            "columns": {
                "measure": "Measure",
                "effect": "Extra months in work/studies, months 1–{months}",
                "net_cost": "Municipality's net cost per participant, SEK",
                "credibility": "Credibility",
                "goals": "Goals",
            },
            "goals": "{met} of {total} met",
            "goals_detail": "{met} of {total} met; {open} cannot be judged",
            "commissions": "Commissions",
            "note": "Amounts discounted at {rate}% per year. A negative net cost: the measure "
            "saves more social assistance than it costs. Details: index.html.",
        },
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

WORDS: dict[str, dict[str, Any]] = {"sv": SV, "en": EN}


def words(lang: str = "sv") -> dict[str, Any]:
    """The wording dict of a language; unknown languages fall back to Swedish."""
    return WORDS.get(lang, SV)


def label(lang: str, group: str, key: Any) -> str:
    """The display label of ``key`` in ``group`` (e.g. an estimator), or the key itself."""
    table = words(lang).get(group) or {}
    return str(table.get(str(key), key)) if key is not None else ""
