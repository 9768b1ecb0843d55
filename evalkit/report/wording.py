"""Every word a report shows, one dict per language (Swedish first), so code paths hold no text.

Keys are stable identifiers; values are plain text or ``str.format`` templates. Verdict, reason
and grade labels come from the audit layer's label tables so one word has one home.
"""

from __future__ import annotations

import re
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
        "glossary": "Ordlista",
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
        "arbete eller studier och varför deltagandet avslutades. Siffrorna är utfall, inte "
        "effekter: de säger inget om vad insatsen orsakade – det visar avsnitten om effekter.",
        "estimates": "Effekten på deltagarna (ATT) jämfört med jämförelsegruppen, skattad med "
        "flera metoder. När metoderna som justerar för skillnader mellan grupperna ger liknande "
        "svar är resultatet mer tillförlitligt. Den ojusterade jämförelsen visar vad dagens "
        "uppföljning antyder.",
        "path": "Effekten månad för månad efter start. Medan insatsen pågår räknas deltagarna "
        "inte som i arbete och har mindre tid att söka arbete (inlåsning), så effekten kan först "
        "vara negativ.",
        "subgroups": "Effekten i undergrupper. Små grupper ger osäkra skattningar; grupper med "
        "för få personer visas inte.",
        "diagnostics": "Kontroller av om jämförelsegruppen liknar deltagarna, om varje deltagare "
        "har motsvarigheter i jämförelsegruppen, och hur känsligt resultatet är.",
        "costs": "Vad insatsen kostar per deltagare jämfört med förändringen i utbetalt "
        "försörjningsstöd.",
        "goals": "Varje mål, från varje styrdokument, med indikator, målvärde, måldatum och "
        "bedömning.",
        "appendix": "Vilka som ingår, hur jämförelsegruppen bildades, vilka inställningar "
        "analysen gjordes med och vad datakontrollen fann.",
        "glossary": "Ord och förkortningar som den här sidan använder.",
        "ranking": "Insatserna rangordnade efter hur många fler månader deltagarna var i arbete "
        "eller studier under de första {months} månaderna efter start, jämfört med jämförelsegruppen. Summan över månaderna räknar med både inlåsningen under insatsen och effekten "
        "efter den. Insatser med låg tillförlitlighet eller för få deltagare rangordnas inte.",
        "portfolio_costs": "Vad insatserna kostar kommunen och den offentliga sektorn per "
        "deltagare efter minskat försörjningsstöd (och skatteintäkter), och vad en extra månad i "
        "arbete eller studier kostar kommunen. Alla belopp är skattningar med 95 % "
        "KI, diskonterade till starten.",
        "goal_matrix": "Alla mål för alla insatser, samlade per uppdrag (diarienummer): hur många "
        "som är uppfyllda, så att det går att se om ett uppdrag är slutfört.",
        "benchmark": "Kommunen jämförd med liknande kommuner i Kolada, år för år: kommunens eget "
        "värde, jämförelsekommunernas medelvärde (ovägt) och spridning. Källa: Kolada.",
    },
    "headline": {
        "share_up": "Deltagandet ökade {what} med {est} ({ci}).",
        "share_down": "Deltagandet minskade {what} med {est} ({ci}).",
        "share_unclear": "Vi kan inte visa att deltagandet förändrade {what}: skattningen är "
        "{change}, men osäkerheten är stor ({ci}).",
        "sek_up": "Deltagandet ökade {what} med {est} per deltagare ({ci}).",
        "sek_down": "Deltagandet minskade {what} med {est} per deltagare ({ci}).",
        "sek_unclear": "Vi kan inte visa att deltagandet förändrade {what}: skattningen är "
        "{change} per deltagare, men osäkerheten är stor ({ci}).",
        "num_up": "Deltagandet ökade {what} med {est} ({ci}).",
        "num_down": "Deltagandet minskade {what} med {est} ({ci}).",
        "num_unclear": "Vi kan inte visa att deltagandet förändrade {what}: skattningen är "
        "{change}, men osäkerheten är stor ({ci}).",
        "change_up": "en ökning med {est}",
        "change_down": "en minskning med {est}",
        "change_zero": "ingen förändring",
        "ci": "{level}\u00a0% KI {lo}–{hi}",
        "ci_wide": "{level}\u00a0% KI {lo} till {hi}",
        "none": "Det finns ingen effektskattning att sammanfatta.",
        "suppressed": "Skattningen visas inte: den bygger på för få personer.",
        "suppressed_share": "Effekten på {what} visas inte: den bygger på {n} deltagare, och en "
        "andel av så få personer skulle kunna röja enskilda (andelar visas bara för grupper på "
        "minst {min_share} personer).",
        "suppressed_small": "Effekten på {what} visas inte: den bygger på färre än {min_cell} "
        "personer, och ett medelvärde för så få skulle kunna röja enskilda.",
        "method": "Metod: {estimator}; {n_treated} deltagare jämförda med {n_control}.",
        "control_person_months": "{months} i jämförelsegruppen, från {persons} (en person kan "
        "jämföras vid flera startmånader)",
        "control_months_only": "{months} i jämförelsegruppen",
        "control_persons": "{persons} i jämförelsegruppen",
        "credibility": "Tillförlitlighet: {grade}.",
        "low_all": "Varning: tillförlitligheten är låg ({reasons}). Effekterna nedan kan spegla "
        "vilka som valdes till insatsen snarare än vad insatsen gjorde. De ska inte användas som "
        "underlag för beslut, och mål om effekter bedöms inte.",
        "low_some": "Varning: tillförlitligheten är låg för {n} av {total} utfall ({reasons}). "
        "Läs effekterna på de utfallen med stor försiktighet; mål om dem bedöms inte.",
        "low_few": "Varning: för få deltagare för att bedöma vad insatsen orsakade. Siffrorna nedan "
        "räcker inte som underlag för beslut.",
        "goals": "Mål: {counts}.",
        "no_goals": "Inga mål är angivna för insatsen.",
        "what_default": "utfallet {outcome}",
        "followup": "I dagens uppföljning var {share} av deltagarna i arbete eller studier 12 "
        "månader efter start. Det är ett utfall, inte en effekt: också många som inte deltar "
        "kommer i arbete eller studier. Effekten ovan jämför med jämförelsegruppen.",
    },
    "what": {
        "work_or_study_6m": "andelen i arbete eller studier 6 månader efter start",
        "work_or_study_12m": "andelen i arbete eller studier 12 månader efter start",
        "work_or_study_24m": "andelen i arbete eller studier 24 månader efter start",
        "work_or_study_36m": "andelen i arbete eller studier 36 månader efter start",
        "assistance_sek_12m": "utbetalt försörjningsstöd under de första 12 månaderna",
        "assistance_sek_24m": "utbetalt försörjningsstöd under de första 24 månaderna",
        "assistance_sek_36m": "utbetalt försörjningsstöd under de första 36 månaderna",
        "assistance_months_12m": "antalet månader med försörjningsstöd under de första 12 "
        "månaderna",
        "work_or_study": "andelen i arbete eller studier",
        "assistance_sek": "utbetalt försörjningsstöd",
        "work_or_study_months_12m": "antalet månader i arbete eller studier under de första 12 "
        "månaderna",
        "work_or_study_months_24m": "antalet månader i arbete eller studier under de första 24 "
        "månaderna",
        "work_or_study_months_36m": "antalet månader i arbete eller studier under de första 36 "
        "månaderna",
    },
    "outcomes": {
        "work_or_study_6m": "Arbete eller studier, 6 mån",
        "work_or_study_12m": "Arbete eller studier, 12 mån",
        "work_or_study_24m": "Arbete eller studier, 24 mån",
        "work_or_study_36m": "Arbete eller studier, 36 mån",
        "assistance_sek_12m": "Försörjningsstöd, mån 1–12",
        "assistance_sek_24m": "Försörjningsstöd, mån 1–24",
        "assistance_sek_36m": "Försörjningsstöd, mån 1–36",
        "assistance_months_12m": "Månader med försörjningsstöd, mån 1–12",
        "work_or_study_months_12m": "Månader i arbete eller studier, mån 1–12",
        "work_or_study_months_24m": "Månader i arbete eller studier, mån 1–24",
        "work_or_study_months_36m": "Månader i arbete eller studier, mån 1–36",
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
        "stacked_did": "Staplad skillnad i skillnader",
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
        "ci": "95\u00a0% KI",
        "p_value": "p-värde",
        "n_treated": "Deltagare",
        "n_control": "Jämförelsegrupp",
        "horizon": "Tidpunkt",
        "n": "Antal",
        "n_participants": "Deltagare",
        "n_ended": "Deltagare (vid avslut: de som avslutat)",
        "n_in_work_or_study": "Varav i arbete eller studier",
        "share": "Andel",
        "share_of_participants": "Andel av deltagarna",
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
        "term": "Ord",
        "meaning": "Betydelse",
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
        "18-29": "18–29 år",
        "30-44": "30–44 år",
        "45-64": "45–64 år",
    },
    "rules": {
        "adjusted": "Metoden justerar för skillnader mellan grupperna",
        "balance": "Grupperna liknar varandra efter justering (största |SMD|)",
        "overlap": "Andel av deltagarna utan motsvarighet i jämförelsegruppen",
        "agreement": "Metoderna ger liknande svar (spridning i standardfel)",
        "pretrend": "Ingen skillnad i trend före start (p-värde)",
        "sensitivity": "Okänd faktor som krävs för att KI ska nå noll (E-värde)",
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
    # KI is written one way on every page (audit.goals words it out in full).
    "verdict_reasons": {
        **REASON_LABELS["sv"],
        "ci_clears_target": "hela KI klarar målet",
        "ci_includes_target": "skattningen klarar målet men inte hela KI",
        "ci_wrong_side": "hela KI ligger på fel sida om målet",
    },
    "cost_items": {
        "cost_gross": "Kostnad per deltagare, brutto",
        "cost_external_funding": "Extern finansiering per deltagare",
        "cost_net": "Kommunens egen kostnad per deltagare",
        "savings_12m": "Besparing i försörjningsstöd per deltagare, 12 mån (minus: stödet ökade)",
        "savings_24m": "Besparing i försörjningsstöd per deltagare, 24 mån (minus: stödet ökade)",
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
        "balance_title": "Skillnader mellan deltagarna och jämförelsegruppen före och efter "
        "justering",
        "overlap_title": "Benägenhetspoäng hos deltagarna och jämförelsegruppen",
        "sensitivity": "Sensitivitet (E-värde): för att KI ska nå noll måste en okänd faktor "
        "hänga ihop med både deltagande och utfall med en riskkvot på minst {eci} (1 betyder att "
        "KI redan omfattar noll); för att förklara bort hela skattningen krävs {e}.",
        "mde": "Minsta effekt som kan upptäckas med 80\u00a0% styrka: {items}.",
        "pretrend": "Test av skillnad i trend före start: {p}.",
        "outside": "Andel av deltagarna utan motsvarighet i jämförelsegruppen: {share}; {n} "
        "uteslutna ur skattningen.",
        "placebo": "Placebotest (utfall före start, där effekten ska vara noll)",
        "credibility_title": "Tillförlitlighet för {outcome}: {grade}",
        "failures": "Metoder som inte kunde skattas",
        "none": "Inga diagnostiker finns för den här körningen.",
    },
    "appendix": {
        "population": "Vilka som ingår",
        "data_period": "Dataperiod",
        "n_eligible": "Personer i målgruppen under intagsperioden",
        "n_treated": "Deltagare",
        "n_control": "Jämförelsegruppen",
        "intake": "Intagsperiod (startmånader som analyseras)",
        "comparison": "Så bildades jämförelsegruppen",
        "data_mode": "Datakälla",
        "settings": "Inställningar",
        "validation": "Datakontroll",
        "n_quarantined": "Rader i karantän (bryter mot en regel och används inte)",
        "quarantine_file": "Karantänfil",
        "quarantine_where": "Raderna i karantän finns på personnivå (pseudonymiserade) i filen "
        "{file}, i mappen quarantine bredvid rapportmappen. Den är till för utvärderare och "
        "publiceras aldrig med rapporterna.",
        "no_problems": "Datakontrollen fann inga fel.",
        "disclosure": "Röjandeskydd: antal under {min_cell} och andelar med nämnare under "
        "{min_share} visas inte (–); {n} värden är dolda.",
        "disclosure_shares": "Effekter på en andel (som andelen i arbete eller studier) är "
        "andelar av de grupper de jämför och visas bara när både deltagarna och "
        "jämförelsegruppen har minst {min_share} personer.",
        "disclosure_reasons": "Dolda värden per skäl: {items}.",
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
        "params": "Inställningar",
        "raw_params": "Parametrarna som de står i parameterfilen (för utvärderare)",
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
            "InsufficientDataError": "Det finns för få deltagare, eller för få i "
            "jämförelsegruppen, för att skatta en effekt.",
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
        "forest_alt": "Diagram: effekten på {outcome} enligt {n} metoder, med 95\u00a0% KI.",
        "forest_finding_all": "Metoderna visar {range}.",
        "forest_finding": "Metoderna som justerar för skillnader visar {range}; den ojusterade "
        "jämförelsen {naive}.",
        "forest_caption": "{outcome}: effekten enligt varje metod",
        "path_alt": "Diagram: effekten på {outcome}, månad för månad efter start, enligt "
        "{estimator}, med 95\u00a0% KI.",
        "path_finding": "Effekten är som lägst i månad {k_min} ({low}) och som högst i månad "
        "{k_max} ({high}).",
        "path_lock_in": "De första {months} månaderna ligger hela KI under noll (inlåsning).",
        "path_positive": "Från månad {k} ligger hela KI över noll.",
        "path_caption": "{outcome}, månad för månad: {estimator}",
        "love_alt": "Diagram: standardiserade skillnader per bakgrundsvariabel före och efter "
        "justering.",
        "overlap_alt": "Diagram: fördelning av benägenhetspoäng för deltagarna och "
        "jämförelsegruppen.",
        "portfolio_alt": "Diagram: effekten på andelen i arbete eller studier 12 månader efter "
        "start per insats, med 95\u00a0% KI.",
        "show_data": "Visa diagrammets data som tabell",
        "range": "{low} till {high}",
        "range_across": "från {low} till {high}",
        "pp": "procentenheter",
        "sek": "kr",
        "sek_month": "kr per månad",
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
            "deltagare, summerat från start, med 95 % KI. Summan över månaderna "
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
            "med 95 % KI{discounted}.",
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
            "KI innehåller noll, så kostnaden per extra månad kan vara hur stor "
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
            "{months} månaderna per insats, med 95 % KI.",
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
            "lead": "Effekt över {months} månader från start jämfört med jämförelsegruppen, "
            "kommunens nettokostnad per deltagare, tillförlitlighet och mål. Intervallen är 95 % "
            "KI.",
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
            "sparar mer försörjningsstöd än den kostar.",
            "details": "Detaljer och alla insatsers rapporter finns på översiktssidan",
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
    "design": {
        "not_yet_treated": "Varje deltagare jämförs med personer som samma månad som deltagaren "
        "började hade försörjningsstöd (minst en av de senaste {months} månaderna), varken "
        "arbetade eller studerade och inte deltog i insatsen – men som kan börja i den senare. "
        "En person kan därför ingå i jämförelsegruppen vid flera startmånader (personmånader).",
        "never_treated": "Varje deltagare jämförs med personer som samma månad som deltagaren "
        "började hade försörjningsstöd (minst en av de senaste {months} månaderna), varken "
        "arbetade eller studerade och aldrig deltar i insatsen under dataperioden. En person kan "
        "ingå vid flera startmånader (personmånader). Att välja dem som aldrig deltar bygger på "
        "vad som hände senare; jämförelsen är därför en känslighetskontroll.",
        "eligible": "Varje deltagare jämförs med personer som samma månad som deltagaren "
        "började hade försörjningsstöd (minst en av de senaste {months} månaderna), varken "
        "arbetade eller studerade och inte deltog i insatsen den månaden – också personer i "
        "andra insatser och tidigare deltagare. En person kan ingå vid flera startmånader "
        "(personmånader).",
        "table": "Deltagarna jämförs med personerna i samma tabell som inte deltog.",
        "panel": "Enheterna följs över tid; de som ännu inte fått insatsen, eller aldrig får "
        "den, utgör jämförelsegruppen.",
    },
    "settings": {
        "title": "Titel",
        "intake": "Intagsperiod",
        "eligibility": "Målgrupp",
        "eligibility_value": "personer med försörjningsstöd minst en av de senaste {months} "
        "månaderna som varken arbetar eller studerar",
        "comparison": "Jämförelsegrupp",
        "outcomes": "Utfall",
        "estimators": "Metoder",
        "estimator_options": "Metodinställningar",
        "subgroups": "Undergrupper",
        "covariates": "Bakgrundsvariabler som metoderna justerar för",
        "covariates_default": "standarduppsättningen för kommunens register (ålder, kön, "
        "födelseregion, år i Sverige, utbildning, hushållets storlek, försörjningsstöd och "
        "arbete före start, tidigare insatser)",
        "data_mode": "Datakälla",
        "source": "Datafil eller databas",
        "min_cell": "Röjandeskydd",
        "min_cell_value": "antal under {min_cell} och andelar av färre än {min_share} personer "
        "visas inte",
        "lang": "Språk",
        "lang_value": {"sv": "svenska", "en": "engelska"},
        "seed": "Slumpfrö",
        "goals": "Mål",
        "goals_value": "{n} (se avsnittet Mål och måluppfyllelse)",
        "costs": "Kostnadsuppgifter",
        "none": "inga",
        "all_in_json": "Alla inställningar finns, som de står i parameterfilen, i resultatfilen "
        "(JSON).",
    },
    "units": {
        "pp": ("{n} procentenhet", "{n} procentenheter"),
        "sek": ("{n} kr", "{n} kr"),
        "sek_month": ("{n} kr per månad", "{n} kr per månad"),
        "persons": ("{n} person", "{n} personer"),
        "person_months": ("{n} personmånad", "{n} personmånader"),
        "participants": ("{n} deltagare", "{n} deltagare"),
        "months": ("{n} månad", "{n} månader"),
        "percent": ("{n}\u00a0%", "{n}\u00a0%"),
    },
    "unit_names": {
        "persons": "personer",
        "person_months": "personmånader",
        "units": "enheter",
    },
    "clipped": "avkortat",
    "table_notes": {
        "hidden": "– = visas inte: värdet bygger på för få personer (röjandeskydd) eller kunde "
        "inte beräknas.",
        "clipped": "Intervall som går utanför ±100 procentenheter är avkortade vid gränsen: en "
        "effekt på en andel kan inte vara större.",
    },
    "downloads": {
        "lead": "Ladda ner tabellen:",
        "csv": "CSV",
        "xlsx": "Excel",
        "aria": "Ladda ner {table} som {format}",
        "table": "tabellen",
        "low": "{name}, nedre gräns",
        "high": "{name}, övre gräns",
    },
    "context": {
        "label": "Om rapporten",
        "organisation": "Kommun",
        "namnd": "Ansvarig nämnd",
        "unit": "Enhet",
        "contact": "Kontakt",
        "email": "e-post {email}",
        "phone": "telefon {phone}",
        "or": " eller ",
        "data_period": "Data",
        "data_period_value": "{first} – {last} (sista månaden i registren)",
        "intake": "Deltagare som började",
        "created": "Rapporten skapad",
        "links": "Filer",
        "json": "resultatfilen (JSON)",
        "json_note": "allt rapporten bygger på, maskinläsbart",
        "missing": "inte angivet (report.organisation i parameterfilen)",
    },
    "month_names": (
        "januari",
        "februari",
        "mars",
        "april",
        "maj",
        "juni",
        "juli",
        "augusti",
        "september",
        "oktober",
        "november",
        "december",
    ),
    "suppression": {
        "small_count": "antal under {min_cell} personer",
        "small_denominator": "andelar av färre än {min_share} personer",
        "small_numerator": "andelar som skulle visa ett antal under {min_cell} personer",
        "secondary": "värden som via en summa skulle avslöja ett dolt värde",
        "small_group": "skattningar på färre än {min_cell} personer",
        "share_of_small_group": "effekter på andelar i grupper på färre än {min_share} personer",
        "derived": "värden som räknas fram ur ett dolt värde",
    },
    "kolada": "Arbete eller studier räknas som i Kolada: arbete utan stöd, arbete med "
    "anställningsstöd (subventionerat, till exempel nystartsjobb eller lönebidrag) eller "
    "studier. Tid i en kommunal arbetsmarknadsinsats – också en anställning i kommunens egen "
    "arbetsmarknadsverksamhet medan insatsen pågår – räknas inte som arbete. Därför kan andelen "
    "i arbete sjunka medan en insats pågår, också när insatsen är en anställning.",
    "glossary": {
        "work_or_study": ("Arbete eller studier", "{kolada}"),
        "effect": (
            "Effekt",
            "Skillnaden som insatsen orsakar för deltagarna: hur det gick för dem jämfört med "
            "hur det hade gått utan insatsen, uppskattat med jämförelsegruppen. Jämför utfall.",
        ),
        "outcome": (
            "Utfall",
            "Det som mäts hos deltagarna, till exempel andelen i arbete eller studier 12 "
            "månader efter start. Ett utfall säger inte vad insatsen orsakade, eftersom många "
            "kommer i arbete eller studier också utan insatsen.",
        ),
        "att": (
            "ATT",
            "Genomsnittlig effekt för dem som deltog (engelska: average treatment effect on the "
            "treated). Alla effekter på sidan avser deltagarna.",
        ),
        "comparison_group": (
            "Jämförelsegrupp",
            "Personer i målgruppen som inte deltog i insatsen när deltagarna började. "
            "Metoderna justerar för skillnader i bakgrund mellan dem och deltagarna.",
        ),
        "person_month": (
            "Personmånad",
            "En person under en månad. Samma person kan ingå i jämförelsegruppen vid flera "
            "startmånader, så jämförelsegruppen räknas både i personer och i personmånader.",
        ),
        "pp": (
            "Procentenhet",
            "Skillnaden mellan två andelar: från 40\u00a0% till 45\u00a0% är en ökning med 5 "
            "procentenheter (men med 12,5 procent).",
        ),
        "ci": (
            "KI (konfidensintervall)",
            "Intervallet som med 95\u00a0% säkerhet täcker den sanna effekten. Omfattar det noll kan "
            "vi inte visa att insatsen hade någon effekt.",
        ),
        "p_value": (
            "p-värde",
            "Hur sannolikt det är att få minst så stor skillnad om insatsen inte hade någon "
            "effekt alls. Under 0,05 talar emot att skillnaden är en slump.",
        ),
        "lock_in": (
            "Inlåsning",
            "Medan insatsen pågår har deltagarna mindre tid att söka och ta arbete, och tiden i "
            "insatsen räknas inte som arbete. Effekten kan därför vara negativ de första "
            "månaderna.",
        ),
        "credibility": (
            "Tillförlitlighet",
            "Hur långt effektskattningen kan litas på – hög, medel eller låg – utifrån kontroller "
            "som kan falla: liknar jämförelsegruppen deltagarna, ger metoderna liknande svar, "
            "hur känsligt är resultatet för okända faktorer, räcker antalet deltagare.",
        ),
        "smd": (
            "SMD",
            "Standardiserad medelvärdesskillnad: skillnaden i en bakgrundsvariabel mellan "
            "deltagarna och jämförelsegruppen, mätt i standardavvikelser. Under 0,1 räknas som "
            "liten.",
        ),
        "propensity": (
            "Benägenhetspoäng",
            "Den skattade sannolikheten att en person med en viss bakgrund deltar i insatsen. "
            "Metoderna använder den för att vikta eller matcha jämförelsegruppen så att den "
            "liknar deltagarna.",
        ),
        "e_value": (
            "E-värde",
            "Hur starkt en okänd faktor måste hänga ihop med både deltagande och utfall (som "
            "riskkvot) för att förklara bort effekten. Ju större, desto robustare resultat.",
        ),
        "disclosure": (
            "Röjandeskydd",
            "Antal under {min_cell} personer och andelar av färre än {min_share} personer visas "
            "inte (–), så att ingen enskild kan pekas ut.",
        ),
    },
    "followup_text": {
        "participants": "Deltagare som började under intagsperioden: {n}.",
        "participations": "Deltaganden som började under intagsperioden: {n}, av {persons}.",
        "shares": "Andel av deltagarna i arbete eller studier",
        "exit_note": "Vid avslut räknas de deltagare som har avslutat insatsen, efter "
        "avslutsorsak; 6, 12 och 24 månader efter start räknas alla deltagare vars månad ligger "
        "inom registren, efter status den månaden.",
        "reasons": "Varför deltagandet avslutades",
    },
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
        "glossary": "Glossary",
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
        "why participation ended. These figures are outcomes, not effects: they do not say what "
        "the measure caused – the sections on effects do.",
        "estimates": "The effect on participants (ATT) against the comparison group, estimated "
        "by several methods. When the methods that adjust for differences agree, the result is "
        "more reliable. The unadjusted comparison shows what today's follow-up implies.",
        "path": "The effect month by month after start. While the measure runs, participants do "
        "not count as in work and have less time to look for work (lock-in), so the effect may "
        "first be negative.",
        "subgroups": "The effect in subgroups. Small groups give uncertain estimates; groups "
        "with too few people are not shown.",
        "diagnostics": "Checks of whether the comparison group resembles the participants, "
        "whether every participant has counterparts in the comparison group, and how sensitive "
        "the result is.",
        "costs": "What the measure costs per participant against the change in social "
        "assistance paid.",
        "goals": "Every goal, from every document, with indicator, target, deadline and verdict.",
        "appendix": "Who is included, how the comparison group was formed, the settings of the "
        "analysis and what the data checks found.",
        "glossary": "Words and abbreviations used on this page.",
        "ranking": "Measures ranked by how many more months participants spent in work or "
        "studies in the first {months} months after start, against the comparison group. The "
        "sum over the months counts both the lock-in during the measure and the effect after "
        "it. Measures with low credibility or too few participants are not ranked.",
        "portfolio_costs": "What the measures cost the municipality and the public sector per "
        "participant after lower social assistance (and tax revenue), and what one extra month "
        "in work or studies costs the municipality. Every amount is an estimate with a 95% "
        "CI, discounted to the start.",
        "goal_matrix": "All goals of all measures, gathered by commission (diarienummer): how "
        "many are met, so that one can tell whether a commission is done.",
        "benchmark": "The municipality against similar municipalities in Kolada, year by year: "
        "its own value, the peers' (unweighted) mean and range. Source: Kolada.",
    },
    "headline": {
        "share_up": "Taking part raised {what} by {est} ({ci}).",
        "share_down": "Taking part lowered {what} by {est} ({ci}).",
        "share_unclear": "We cannot show that taking part changed {what}: the estimate is "
        "{change}, but the uncertainty is large ({ci}).",
        "sek_up": "Taking part raised {what} by {est} per participant ({ci}).",
        "sek_down": "Taking part lowered {what} by {est} per participant ({ci}).",
        "sek_unclear": "We cannot show that taking part changed {what}: the estimate is "
        "{change} per participant, but the uncertainty is large ({ci}).",
        "num_up": "Taking part raised {what} by {est} ({ci}).",
        "num_down": "Taking part lowered {what} by {est} ({ci}).",
        "num_unclear": "We cannot show that taking part changed {what}: the estimate is "
        "{change}, but the uncertainty is large ({ci}).",
        "change_up": "an increase of {est}",
        "change_down": "a decrease of {est}",
        "change_zero": "no change",
        "ci": "{level}% CI {lo}–{hi}",
        "ci_wide": "{level}% CI {lo} to {hi}",
        "none": "There is no effect estimate to summarise.",
        "suppressed": "The estimate is not shown: it rests on too few people.",
        "suppressed_share": "The effect on {what} is not shown: it rests on {n} participants, "
        "and a share of so few people could identify individuals (shares are shown only for "
        "groups of at least {min_share} people).",
        "suppressed_small": "The effect on {what} is not shown: it rests on fewer than "
        "{min_cell} people, and a mean of so few could identify individuals.",
        "method": "Method: {estimator}; {n_treated} participants compared with {n_control}.",
        "control_person_months": "{months} in the comparison group, of {persons} (one person "
        "can be compared at several start months)",
        "control_months_only": "{months} in the comparison group",
        "control_persons": "{persons} in the comparison group",
        "credibility": "Credibility: {grade}.",
        "low_all": "Warning: credibility is low ({reasons}). The effects below may reflect who "
        "was chosen for the measure rather than what the measure did. Do not base decisions on "
        "them; goals about effects are not judged.",
        "low_some": "Warning: credibility is low for {n} of {total} outcomes ({reasons}). Read "
        "the effects on those outcomes with great care; goals about them are not judged.",
        "low_few": "Warning: too few participants to judge what the measure caused. The figures "
        "below are not enough to base decisions on.",
        "goals": "Goals: {counts}.",
        "no_goals": "No goals are given for this measure.",
        "what_default": "the outcome {outcome}",
        "followup": "In today's follow-up, {share} of participants were in work or studies 12 "
        "months after start. That is an outcome, not an effect: many who do not take part also "
        "find work or studies. The effect above compares with the comparison group.",
    },
    "what": {
        "work_or_study_6m": "the share in work or studies 6 months after start",
        "work_or_study_12m": "the share in work or studies 12 months after start",
        "work_or_study_24m": "the share in work or studies 24 months after start",
        "work_or_study_36m": "the share in work or studies 36 months after start",
        "assistance_sek_12m": "social assistance paid in the first 12 months",
        "assistance_sek_24m": "social assistance paid in the first 24 months",
        "assistance_sek_36m": "social assistance paid in the first 36 months",
        "assistance_months_12m": "the number of months on social assistance in the first 12 months",
        "work_or_study": "the share in work or studies",
        "assistance_sek": "social assistance paid",
        "work_or_study_months_12m": "the number of months in work or studies in the first 12 "
        "months",
        "work_or_study_months_24m": "the number of months in work or studies in the first 24 "
        "months",
        "work_or_study_months_36m": "the number of months in work or studies in the first 36 "
        "months",
    },
    "outcomes": {
        "work_or_study_6m": "Work or studies, 6 m",
        "work_or_study_12m": "Work or studies, 12 m",
        "work_or_study_24m": "Work or studies, 24 m",
        "work_or_study_36m": "Work or studies, 36 m",
        "assistance_sek_12m": "Assistance, months 1–12",
        "assistance_sek_24m": "Assistance, months 1–24",
        "assistance_sek_36m": "Assistance, months 1–36",
        "assistance_months_12m": "Months on assistance, months 1–12",
        "work_or_study_months_12m": "Months in work or studies, months 1–12",
        "work_or_study_months_24m": "Months in work or studies, months 1–24",
        "work_or_study_months_36m": "Months in work or studies, months 1–36",
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
        "stacked_did": "Stacked difference in differences",
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
        "n_control": "Comparison group",
        "horizon": "When",
        "n": "Number",
        "n_participants": "Participants",
        "n_ended": "Participants (at exit: those who ended)",
        "n_in_work_or_study": "Of whom in work or studies",
        "share": "Share",
        "share_of_participants": "Share of participants",
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
        "term": "Term",
        "meaning": "Meaning",
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
        "18-29": "Aged 18–29",
        "30-44": "Aged 30–44",
        "45-64": "Aged 45–64",
    },
    "rules": {
        "adjusted": "The method adjusts for differences between the groups",
        "balance": "The groups are alike after adjustment (largest |SMD|)",
        "overlap": "Share of participants without counterparts in the comparison group",
        "agreement": "The methods agree (spread in standard errors)",
        "pretrend": "No difference in trend before start (p-value)",
        "sensitivity": "Unknown factor needed to move the CI to zero (E-value)",
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
    # CI is written one way on every page (audit.goals words it out in full).
    "verdict_reasons": {
        **REASON_LABELS["en"],
        "ci_clears_target": "the whole CI clears the target",
        "ci_includes_target": "the estimate clears the target but not the whole CI",
        "ci_wrong_side": "the whole CI is on the wrong side of the target",
    },
    "cost_items": {
        "cost_gross": "Cost per participant, gross",
        "cost_external_funding": "External funding per participant",
        "cost_net": "The municipality's own cost per participant",
        "savings_12m": "Assistance saved per participant, 12 m (minus: assistance rose)",
        "savings_24m": "Assistance saved per participant, 24 m (minus: assistance rose)",
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
        "balance_title": "Differences between the participants and the comparison group before "
        "and after adjustment",
        "overlap_title": "Propensity scores of the participants and the comparison group",
        "sensitivity": "Sensitivity (E-value): to move the CI to zero, an unknown factor would "
        "need a risk ratio of at least {eci} with both participation and outcome (1 means the CI "
        "already includes zero); to explain the whole estimate away it would need {e}.",
        "mde": "Smallest effect detectable with 80% power: {items}.",
        "pretrend": "Test of a difference in trend before start: {p}.",
        "outside": "Share of participants without counterparts in the comparison group: "
        "{share}; {n} left out of the estimate.",
        "placebo": "Placebo tests (outcomes before start, where the effect must be zero)",
        "credibility_title": "Credibility for {outcome}: {grade}",
        "failures": "Methods that could not be estimated",
        "none": "There are no diagnostics for this run.",
    },
    "appendix": {
        "population": "Who is included",
        "data_period": "Data period",
        "n_eligible": "People in the target group during the intake period",
        "n_treated": "Participants",
        "n_control": "The comparison group",
        "intake": "Intake period (start months analysed)",
        "comparison": "How the comparison group was formed",
        "data_mode": "Data source",
        "settings": "Settings",
        "validation": "Data checks",
        "n_quarantined": "Rows quarantined (break a rule and are not used)",
        "quarantine_file": "Quarantine file",
        "quarantine_where": "The quarantined rows are kept at person level (pseudonymised) in "
        "the file {file}, in the folder quarantine beside the reports folder. It is for "
        "evaluators and is never published with the reports.",
        "no_problems": "The data checks found no errors.",
        "disclosure": "Disclosure control: counts under {min_cell} and shares with a "
        "denominator under {min_share} are not shown (–); {n} values are hidden.",
        "disclosure_shares": "Effects on a share (such as the share in work or studies) are "
        "shares of the groups they compare and are shown only when both the participants and "
        "the comparison group have at least {min_share} people.",
        "disclosure_reasons": "Hidden values by reason: {items}.",
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
        "params": "Settings",
        "raw_params": "The parameters as written in the params file (for evaluators)",
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
            "InsufficientDataError": "There are too few participants, or too few in the "
            "comparison group, to estimate an effect.",
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
        "forest_alt": "Chart: the effect on {outcome} by {n} methods, with 95% CIs.",
        "forest_finding_all": "The methods show {range}.",
        "forest_finding": "The methods that adjust for differences show {range}; the unadjusted "
        "comparison {naive}.",
        "forest_caption": "{outcome}: the effect by each method",
        "path_alt": "Chart: the effect on {outcome} by month after start by {estimator}, with "
        "95% CIs.",
        "path_finding": "The effect is lowest in month {k_min} ({low}) and highest in month "
        "{k_max} ({high}).",
        "path_lock_in": "In the first {months} months the whole CI lies below zero (lock-in).",
        "path_positive": "From month {k} the whole CI lies above zero.",
        "path_caption": "{outcome}, month by month: {estimator}",
        "love_alt": "Chart: standardised differences by background variable before and after "
        "adjustment.",
        "overlap_alt": "Chart: distribution of propensity scores of the participants and the "
        "comparison group.",
        "portfolio_alt": "Chart: the effect on the share in work or studies 12 months after "
        "start by measure, with 95% CIs.",
        "show_data": "Show the chart's data as a table",
        "range": "{low} to {high}",
        "range_across": "from {low} to {high}",
        "pp": "percentage points",
        "sek": "SEK",
        "sek_month": "SEK per month",
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
            "participant, summed from the start, with 95% CIs. The sum over the "
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
            "with 95% CIs{discounted}.",
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
            "CI includes zero, so the cost per extra month may be any size. "
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
            "by measure, with 95% CIs.",
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
            "lead": "Effect over {months} months from the start against the comparison group, the "
            "municipality's net cost per participant, credibility and goals. Intervals are 95% "
            "CIs.",
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
            "saves more social assistance than it costs.",
            "details": "Details and every measure's report are on the overview page",
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
    "design": {
        "not_yet_treated": "Each participant is compared with people who, in the month the "
        "participant started, received social assistance (in at least one of the last {months} "
        "months), neither worked nor studied and were not in the measure – but may start it "
        "later. One person can therefore be in the comparison group at several start months "
        "(person-months).",
        "never_treated": "Each participant is compared with people who, in the month the "
        "participant started, received social assistance (in at least one of the last {months} "
        "months), neither worked nor studied and never take part in the measure during the data "
        "period. One person can be included at several start months (person-months). Choosing "
        "those who never take part rests on what happened later, so this comparison is a "
        "sensitivity check.",
        "eligible": "Each participant is compared with people who, in the month the participant "
        "started, received social assistance (in at least one of the last {months} months), "
        "neither worked nor studied and were not in the measure that month – people in other "
        "measures and earlier participants included. One person can be included at several "
        "start months (person-months).",
        "table": "The participants are compared with the people in the same table who did not "
        "take part.",
        "panel": "The units are followed over time; those not yet treated, or never treated, "
        "form the comparison group.",
    },
    "settings": {
        "title": "Title",
        "intake": "Intake period",
        "eligibility": "Target group",
        "eligibility_value": "people on social assistance in at least one of the last {months} "
        "months who neither work nor study",
        "comparison": "Comparison group",
        "outcomes": "Outcomes",
        "estimators": "Methods",
        "estimator_options": "Method settings",
        "subgroups": "Subgroups",
        "covariates": "Background variables the methods adjust for",
        "covariates_default": "the default set for the municipality's registers (age, sex, "
        "region of birth, years in Sweden, education, household size, assistance and work "
        "before start, earlier measures)",
        "data_mode": "Data source",
        "source": "Data file or database",
        "min_cell": "Disclosure control",
        "min_cell_value": "counts under {min_cell} and shares of fewer than {min_share} people "
        "are not shown",
        "lang": "Language",
        "lang_value": {"sv": "Swedish", "en": "English"},
        "seed": "Random seed",
        "goals": "Goals",
        "goals_value": "{n} (see the section on goals)",
        "costs": "Cost data",
        "none": "none",
        "all_in_json": "Every setting, as written in the params file, is in the results file "
        "(JSON).",
    },
    "units": {
        "pp": ("{n} percentage point", "{n} percentage points"),
        "sek": ("SEK {n}", "SEK {n}"),
        "sek_month": ("SEK {n} per month", "SEK {n} per month"),
        "persons": ("{n} person", "{n} people"),
        "person_months": ("{n} person-month", "{n} person-months"),
        "participants": ("{n} participant", "{n} participants"),
        "months": ("{n} month", "{n} months"),
        "percent": ("{n}%", "{n}%"),
    },
    "unit_names": {
        "persons": "people",
        "person_months": "person-months",
        "units": "units",
    },
    "clipped": "cut",
    "table_notes": {
        "hidden": "– = not shown: the value rests on too few people (disclosure control) or "
        "could not be computed.",
        "clipped": "Intervals reaching beyond ±100 percentage points are cut at the bound: an "
        "effect on a share cannot be larger.",
    },
    "downloads": {
        "lead": "Download the table:",
        "csv": "CSV",
        "xlsx": "Excel",
        "aria": "Download {table} as {format}",
        "table": "the table",
        "low": "{name}, lower bound",
        "high": "{name}, upper bound",
    },
    "context": {
        "label": "About this report",
        "organisation": "Municipality",
        "namnd": "Responsible committee",
        "unit": "Unit",
        "contact": "Contact",
        "email": "e-mail {email}",
        "phone": "phone {phone}",
        "or": " or ",
        "data_period": "Data",
        "data_period_value": "{first} – {last} (the registers' last month)",
        "intake": "Participants who started",
        "created": "Report made",
        "links": "Files",
        "json": "the results file (JSON)",
        "json_note": "everything the report rests on, machine-readable",
        "missing": "not given (report.organisation in the params file)",
    },
    "month_names": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "suppression": {
        "small_count": "counts under {min_cell} people",
        "small_denominator": "shares of fewer than {min_share} people",
        "small_numerator": "shares that would show a count under {min_cell} people",
        "secondary": "values that would give a hidden value away through a total",
        "small_group": "estimates on fewer than {min_cell} people",
        "share_of_small_group": "effects on shares in groups of fewer than {min_share} people",
        "derived": "values computed from a hidden value",
    },
    "kolada": "Work or studies is counted as in Kolada: work without support, work with an "
    "employment subsidy (for example nystartsjobb or lönebidrag) or studies. Time in a municipal "
    "labour-market measure – including a job in the municipality's own labour-market programme "
    "while the measure runs – does not count as work. That is why the share in work can fall "
    "while a measure runs, even when the measure is a job.",
    "glossary": {
        "work_or_study": ("Work or studies", "{kolada}"),
        "effect": (
            "Effect",
            "The difference the measure makes for participants: how they fared compared with "
            "how they would have fared without it, estimated with the comparison group. "
            "Compare outcome.",
        ),
        "outcome": (
            "Outcome",
            "What is measured for participants, for example the share in work or studies 12 "
            "months after start. An outcome does not say what the measure caused, since many "
            "find work or studies without it too.",
        ),
        "att": (
            "ATT",
            "Average treatment effect on the treated: the average effect for those who took "
            "part. Every effect on this page is about the participants.",
        ),
        "comparison_group": (
            "Comparison group",
            "People in the target group who were not in the measure when the participants "
            "started. The methods adjust for differences in background between them and the "
            "participants.",
        ),
        "person_month": (
            "Person-month",
            "One person during one month. The same person can be in the comparison group at "
            "several start months, so the comparison group is counted both in people and in "
            "person-months.",
        ),
        "pp": (
            "Percentage point",
            "The difference between two shares: from 40% to 45% is an increase of 5 percentage "
            "points (but of 12.5 per cent).",
        ),
        "ci": (
            "CI (confidence interval)",
            "The interval that covers the true effect with 95% confidence. If it includes zero, "
            "we cannot show that the measure had any effect.",
        ),
        "p_value": (
            "p-value",
            "How likely a difference at least this large would be if the measure had no effect "
            "at all. Below 0.05 speaks against the difference being chance.",
        ),
        "lock_in": (
            "Lock-in",
            "While the measure runs, participants have less time to look for and take work, and "
            "time in the measure does not count as work. The effect can therefore be negative "
            "in the first months.",
        ),
        "credibility": (
            "Credibility",
            "How far the effect estimate can be trusted – high, medium or low – judged by checks "
            "that can fail: does the comparison group resemble the participants, do the methods "
            "agree, how sensitive is the result to unknown factors, are there enough "
            "participants.",
        ),
        "smd": (
            "SMD",
            "Standardised mean difference: the difference in a background variable between the "
            "participants and the comparison group, in standard deviations. Under 0.1 counts as "
            "small.",
        ),
        "propensity": (
            "Propensity score",
            "The estimated probability that a person with a given background takes part. The "
            "methods use it to weight or match the comparison group so that it resembles the "
            "participants.",
        ),
        "e_value": (
            "E-value",
            "How strongly an unknown factor would have to be associated with both participation "
            "and outcome (as a risk ratio) to explain the effect away. The larger, the more "
            "robust the result.",
        ),
        "disclosure": (
            "Disclosure control",
            "Counts under {min_cell} people and shares of fewer than {min_share} people are not "
            "shown (–), so that no individual can be singled out.",
        ),
    },
    "followup_text": {
        "participants": "Participants who started in the intake period: {n}.",
        "participations": "Participations that started in the intake period: {n}, of {persons}.",
        "shares": "Share of participants in work or studies",
        "exit_note": "At exit counts the participants who have ended the measure, by end reason; "
        "6, 12 and 24 months after start counts every participant whose month lies within the "
        "registers, by status in that month.",
        "reasons": "Why participation ended",
    },
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
        "overlap": "många deltagare saknar motsvarigheter i jämförelsegruppen",
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
        "overlap": "många deltagare saknar motsvarigheter i jämförelsegruppen",
        "designs": "en metod med andra antaganden ger ett tydligt annat svar",
        "pretrend": "trenderna före start skiljer sig",
    },
    "columns": {"rule": "Kontroll", "what": "Vad kontrollen visar", "status": "Resultat"},
    "rules": {
        "adjusted": "Justerad jämförelse",
        "participants": "Antal deltagare",
        "placebo": "Placebotest före start",
        "balance": "Likhet före start",
        "overlap": "Överlapp med jämförelsegruppen",
        "designs": "Andra metoder",
        "agreement": "Metoderna är överens",
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
            "ha orsakat ({p} efter justering för två test). Deltagarna skiljer sig troligen "
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
            "pass": "{share} av deltagarna saknar motsvarigheter i jämförelsegruppen eller togs bort (andel av "
            "deltagarna; godkänt till och med {limit}).",
            "warn": "{share} av deltagarna saknar motsvarigheter i jämförelsegruppen eller togs bort (andel av "
            "deltagarna; godkänt till och med {limit}, underkänt över {fail}).",
            "fail": "{share} av deltagarna saknar motsvarigheter i jämförelsegruppen eller togs bort (andel av "
            "deltagarna; underkänt över {fail}). Skattningen gäller bara en del av dem.",
            "not_applicable": "Överlappet kunde inte mätas.",
        },
        "designs": {
            "pass": "{designs} vilar på andra antaganden och ger inte ett säkert annat svar "
            "(minsta {p} efter justering).",
            "fail": "{designs} vilar på andra antaganden och ger ett säkert annat svar ({p} "
            "efter justering): minst en av metoderna vilar på ett antagande som inte håller.",
            "not_applicable": "Ingen metod med andra antaganden kunde användas här (den klarade "
            "inte sitt eget test av trender före start).",
        },
        "pretrend": {
            "pass": "Deltagare och jämförelsegrupp utvecklades lika före start ({p}).",
            "warn": "Svaga tecken på olika utveckling före start ({p}).",
            "fail": "Deltagare och jämförelsegrupp utvecklades olika redan före start ({p}).",
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
    "studien kan upptäcka ({mde}). En så liten studie kan inte skilja en effekt av målets "
    "storlek från ingen effekt (intervallet är {lo} till {hi}{adj}).",
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
SV["warning_note"] = "Att tänka på: {items}."
SV["warnings"] = {
    "unadjusted": "rå skillnad utan justering för hur grupperna skilde sig före start, inte en "
    "effekt",
    "no_convergence": "modellen för vem som deltar konvergerade inte",
    "separation": "några deltagare saknar helt motsvarigheter i jämförelsegruppen",
    "poor_overlap": "många deltagare saknar motsvarigheter i jämförelsegruppen",
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
        "agreement": "The methods agree",
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
            "measure cannot have caused ({p} adjusted for two tests). Participants probably "
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
            "(smallest adjusted {p}).",
            "fail": "{designs} rest on other assumptions and give a clearly different answer "
            "(adjusted {p}): at least one of the methods rests on an assumption that fails.",
            "not_applicable": "No method with other assumptions could be used here (it failed "
            "its own test of trends before the start).",
        },
        "pretrend": {
            "pass": "Participants and comparison group developed alike before the start ({p}).",
            "warn": "Weak signs of different development before the start ({p}).",
            "fail": "Participants and comparison group developed differently before the start "
            "({p}).",
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
    "smallest effect the study can detect ({mde}). So small a study cannot tell an effect of "
    "the target's size from none (the interval is {lo} to {hi}{adj}).",
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
EN["warning_note"] = "Keep in mind: {items}."
EN["warnings"] = {
    "unadjusted": "raw difference, not adjusted for how the groups differed before the start: "
    "not an effect",
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


def plural(lang: str, unit: str, *, one: bool) -> str:
    """The template of a number with its unit (``{n} procentenheter``), singular for one."""
    forms = words(lang)["units"][unit]
    return forms[0] if one else forms[1]


#: A month of a person's path before (``_b{k}``) or after (``_m{k}``) start, e.g. work_or_study_b33.
_PATH_COLUMN = re.compile(r"^(work_or_study|assistance_sek)_(b|m)(\d+)$")
_PATH_WORDS = {
    "sv": {"b": "{what}, {k} mån före start", "m": "{what}, månad {k} efter start"},
    "en": {"b": "{what}, {k} months before start", "m": "{what}, month {k} after start"},
}


def label(lang: str, group: str, key: Any) -> str:
    """The display label of ``key`` in ``group`` (e.g. an estimator), or the key itself; a month
    of the path before or after start is said in words ('Arbete eller studier, 33 mån före
    start'), never by its column name."""
    if key is None:
        return ""
    table = words(lang).get(group) or {}
    if str(key) in table:
        return str(table[str(key)])
    path = _PATH_COLUMN.match(str(key))
    if path:
        what = words(lang)["outcomes"].get(path.group(1), path.group(1))
        form = _PATH_WORDS["en" if lang == "en" else "sv"][path.group(2)]
        return form.format(what=what, k=int(path.group(3)))
    return str(key)
