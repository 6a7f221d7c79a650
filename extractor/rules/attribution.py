"""People whose words or views the article reports: speaker, title, organisation.

Handles "X said", "said X", "X, TITLE at ORG, said", "according to ORG analyst X",
"ORG's X expects", "said ORG Vice President X", last-name follow-ups ("Lee said")
resolved to the full name, and view changes ("cut his forecast"). A firm cited as a
source with no person ("according to Lipper data") is not a quote; bylines ("By X",
"Edited by X") are never speakers.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from .. import _torchless  # noqa: F401  (first: spaCy's thinc must not import torch)
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..schema import Quote
from . import extensions as ext
from .vocab import PATTERNS, load_vocab

_QUOTE_RE = re.compile(r"[“\"]([^“”\"]{12,1500}?)[”\"]")
_ADVERBS = {"also", "recently", "previously", "though", "however", "then", "now", "still", "later",
            "further", "similarly", "too", "again", "meanwhile", "instead", "separately", ",", "has",
            "had", "have", "on", "in", "this", "last", "week", "month", "friday", "monday", "tuesday",
            "wednesday", "thursday", "saturday", "sunday", "yesterday", "today", "earlier", "once",
            "previously", "himself", "herself", "publicly", "first", "confidently", "correctly"}


@lru_cache(maxsize=1)
def vocab() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {k: set(v) for k, v in load_vocab("attribution").items()}
    names = PATTERNS / "first_names.txt"
    out["first_name"] = set()
    if names.exists():
        out["first_name"] = {w.strip() for w in names.read_text(encoding="utf-8").splitlines()
                             if w.strip() and not w.startswith("#")}
    return {k: frozenset(v) for k, v in out.items()}


_INITIAL = re.compile(r"[A-Z]\.")
# names with Latin accents too: "Tomás Herrera", "Zoë Müller", "Ólafur"
_LOW, _UP = "a-zß-öø-ÿ", "A-ZÀ-ÖØ-Þ"
_NAME_WORD = re.compile(rf"[{_UP}][{_LOW}]+(?:[-'’][{_UP}]?[{_LOW}]+)*|[{_UP}][{_LOW}]*[{_UP}][{_LOW}]+|Mc[{_UP}][{_LOW}]+")


def _is_name_token(tok: Token) -> bool:
    t = tok.text
    if not t[:1].isupper():
        return False
    if _INITIAL.fullmatch(t):  # middle initial
        return True
    return bool(_NAME_WORD.fullmatch(t))


def _hyphen_joined(doc: Doc, j: int) -> int:
    """Past a hyphen that joins two parts of one name word ("Yung-Yu", which the
    tokenizer splits in three) when one starts at j; else j."""
    while j + 1 < len(doc) and doc[j].text == "-" and not doc[j - 1].whitespace_ and not doc[j].whitespace_ \
            and _is_name_token(doc[j + 1]):
        j += 2
    return j


def _person_at(doc: Doc, i: int, v, structural: bool) -> int | None:
    """End index of a person name starting at token i, or None. ``structural``: the
    context already says a name stands here (after "strategist", "'s", "said")."""
    tok = doc[i]
    initials = bool(re.fullmatch(r"(?:[A-Z]\.){2,3}|[A-Z]{2}", tok.text)) and structural  # "J.J. Kinahan", "JJ Kinahan"
    if not initials and (not _is_name_token(tok) or tok.text.endswith(".")):
        return None
    if not structural and tok.text not in v["first_name"]:
        return None
    j = _hyphen_joined(doc, i + 1)
    words = 1
    while j < len(doc) and words < 4 and _is_name_token(doc[j]) and doc[j].text not in v["org_suffix"] \
            and doc[j].text not in v["title_head"]:
        j = _hyphen_joined(doc, j + 1)
        words += 1
    if words < 2 or doc[j - 1].text.endswith("."):
        return None
    if j < len(doc) and doc[j].text in v["org_suffix"] and doc[j].text[:1].isupper():
        return None  # "Morgan Stanley Wealth ..." — an organisation
    name = " ".join(t.text for t in doc[i:j])
    if any(n in name for n in v["not_person"]):
        return None
    return j


def _appositive_title_follows(doc: Doc, i: int, v) -> bool:
    """"Renata Okafor, head of credit strategy at ...": two or three capitalised words
    followed by a comma and a job title read as a person even with an unknown first name."""
    j = i
    while j < len(doc) and j - i < 3 and (_is_name_token(doc[j]) or j == i and re.fullmatch(
            r"(?:[A-Z]\.){2,3}|[A-Z]{2}", doc[j].text)):
        j += 1
    if j - i < 2 or j >= len(doc) or doc[j].text != ",":
        return False
    if doc[i].text in v["org_suffix"] or doc[j - 1].text in v["org_suffix"]:
        return False
    window = doc[j + 1:j + 8]
    return any(t.text in v["title_head"] and t.is_lower for t in window) and not any(
        t.text in ("Inc", "Inc.", "Co.", "Corp.") for t in doc[i:j])


def find_persons(doc: Doc) -> list[Span]:
    """Person-name spans: a known first name and one to three capitalised words, or a
    capitalised pair where the context (title word, possessive, speech verb) says so."""
    v = vocab()
    taken = set()
    for s in doc.spans.get(ext.TICKERS, []):
        taken.update(range(s.start, s.end))
    out: list[Span] = []
    words = ext.words(doc)
    i = 0
    while i < len(doc):
        if i in taken:
            i += 1
            continue
        if not words[i][:1].isupper():
            i += 1  # a name starts with a capital: most tokens are out at once
            continue
        prev = doc[i - 1] if i else None
        structural = _appositive_title_follows(doc, i, v) or prev is not None and (
            prev.text in v["title_head"] or prev.lower_ in ("'s", "’s", "’", "'")
            or prev.text == "," and i >= 2 and doc[i - 2].text in v["title_head"]  # "its chief economist, Jane Roe,"
            or prev.lower_ in v["speech_verb"] or prev.text == "to" and i >= 2 and doc[i - 2].lower_ == "according")
        end = _person_at(doc, i, v, structural)
        if end is not None and not any(k in taken for k in range(i, end)):
            byline = doc[max(0, i - 2):i].text
            if not any(byline == b or byline.endswith(" " + b) or byline == b.split()[-1] and i >= 1
                       and doc[i - 1].text == b for b in v["byline_before"]):
                out.append(doc[i:end])
            i = end
            continue
        i += 1
    return out


@Language.component("extractor_persons", assigns=["doc.spans"])
def persons_component(doc: Doc) -> Doc:
    doc.spans[ext.PERSONS] = find_persons(doc)
    return doc


# ---------------------------------------------------------------------- quotes


def _cues(sent: Span, v) -> list[tuple[int, int]]:
    """Token ranges [i, j) of attribution cues in the sentence."""
    out = []
    lows = [w.lower() for w in ext.words(sent.doc)[sent.start:sent.end]]  # Token.lower_, without Tokens
    for k, low in enumerate(lows):
        i = sent.start + k
        if low == "according":
            if k + 1 < len(lows) and lows[k + 1] == "to":
                out.append((i, i + 2))
        elif low in v["speech_verb"]:
            out.append((i, i + 1))
        elif k + 1 < len(lows) and f"{low} {lows[k + 1]}" in v["speech_verb"]:
            out.append((i, i + 2))  # "points out", "pointed out"
        elif low in v["view_change_verb"]:
            nxt = lows[k + 1:k + 6]
            if any(p in nxt for p in ("his", "her", "their")) and any(n in v["view_noun"] for n in nxt):
                out.append((i, i + 1))
    return out


def _allowed_between_inverted(tok: Token, v) -> bool:
    return (tok.text[:1].isupper() or tok.text in v["title_head"] or tok.text in v["title_word"]
            or tok.lower_ in ("'s", "’s", "’", "'", "of", "&", "and", "the", "a", "an", "-", "."))


def _last_name_index(doc: Doc, persons: list[Span]) -> dict[str, str]:
    reg: dict[str, str] = {}
    for p in persons:
        last = p[-1].text
        reg.setdefault(last, p.text)
    return reg


class _Speaker:
    def __init__(self, name: str, start: int, end: int):
        self.name, self.start, self.end = name, start, end  # token indices of the name


def _speakers_after(doc: Doc, cue_end: int, sent_end: int, by_start: dict[int, Span],
                    registry: dict[str, str], v) -> list[_Speaker]:
    k = cue_end
    while k < sent_end and k - cue_end < 12:
        if k in by_start:
            p = by_start[k]
            out = [_Speaker(p.text, p.start, p.end)]
            if p.end + 1 < sent_end and doc[p.end].lower_ == "and" and p.end + 1 in by_start:
                q = by_start[p.end + 1]  # "report Megan Durisin and Lydia Mulvany for Bloomberg"
                out.append(_Speaker(q.text, q.start, q.end))
            return out
        tok = doc[k]
        if tok.text in registry and (k + 1 >= sent_end or not _is_name_token(doc[k + 1])):
            return [_Speaker(registry[tok.text], k, k + 1)]
        if not _allowed_between_inverted(tok, v):
            return []
        k += 1
    return []


def _gap_ok(doc: Doc, start: int, end: int, v) -> bool:
    """Tokens between a name and its verb: nothing, adverbs, one ", appositive ,",
    or "at/of ORG"."""
    toks = doc[start:end]
    if len(toks) == 0 or all(t.lower_ in _ADVERBS or t.is_punct and t.text == "," for t in toks):
        return True
    text = toks.text
    if re.fullmatch(r",\s?(?:who|which)", text):
        return True  # "economist Nouriel Roubini, who predict smaller returns"
    if len(toks) <= 30 and re.fullmatch(r",[^“”\"]*,(?:\s*\w+)?", text) and not any(
            t.lower_ in v["speech_verb"] and t.lower_ not in ("forecast", "estimates") for t in toks[1:-1]):
        return True
    if len(toks) <= 10 and toks[0].lower_ in ("at", "of", "from", "with") and all(
            t.text[:1].isupper() or t.text in ("&", ".", "of", "'s", "’s") or t.lower_ in _ADVERBS for t in toks[1:]):
        return True
    if text in ("—", "--", "–"):
        return True  # "Morgan Stanley’s Mike Wilson and UBS’s Francois Trahan—predict": an aside closes
    m = re.fullmatch(r"(?:at|of|from|with)\s(?:[A-Z][\w.&’']*\s?){1,5},[^“”\"]{0,120},", text)
    if m and len(toks) <= 30:
        return True  # "Binky Chadha at Deutsche Bank, one of the biggest bulls, expects"
    return False


SPEAKER_REACH = 40  # tokens before a speech verb where its speaker may stand


def _speakers_before(doc: Doc, cue_start: int, sent_start: int, persons: list[Span],
                     registry: dict[str, str], v) -> list[_Speaker]:
    sent_start = max(sent_start, cue_start - SPEAKER_REACH)  # a speaker stands close to "said"
    cands: list[_Speaker] = [_Speaker(p.text, p.start, p.end) for p in persons
                             if sent_start <= p.start and p.end <= cue_start]
    for tok in doc[sent_start:cue_start]:
        if tok.text in registry and not any(c.start <= tok.i < c.end for c in cands):
            if tok.i + 1 < len(doc) and _is_name_token(doc[tok.i + 1]) and doc[tok.i + 1].i < cue_start:
                continue
            cands.append(_Speaker(registry[tok.text], tok.i, tok.i + 1))
    cands.sort(key=lambda c: c.end, reverse=True)
    for c in cands:
        if _gap_ok(doc, c.end, cue_start, v):
            out = [c]
            # "Jeffrey Meli and Bradley Rogoff", "El-Erian and economist Nouriel Roubini"
            for d in cands:
                if d.end <= c.start and doc[d.end:c.start].text.strip().startswith("and") is False:
                    between = doc[d.end:c.start]
                    if len(between) <= 4 and between[0].lower_ == "and" and all(
                            t.text in v["title_head"] or t.text in v["title_word"] or t.lower_ == "and" for t in between):
                        out.append(d)
                elif d.end <= c.start:
                    between = doc[d.end:c.start]
                    if 1 <= len(between) <= 4 and between[0].lower_ == "and":
                        out.append(d)
                    elif 2 <= len(between) <= 6 and between[0].lower_ == "and" and between[-1].lower_ in (
                            "'s", "’s", "’") and all(t.text[:1].isupper() or t.text in ("&", ".") for t in between[1:-1]):
                        out.append(d)  # "Morgan Stanley’s Mike Wilson and UBS’s Francois Trahan"
            return out
    return []


def _org_run_left(doc: Doc, end: int, lo: int, v) -> str | None:
    """The capitalised organisation name ending at token ``end`` (exclusive). A short
    parenthesis closing it is the name's abbreviation or symbol: "Bank of Montreal
    (BMO)'s Brian Belski" is Bank of Montreal's."""
    if end - 1 > lo and doc[end - 1].text == ")":
        opening = next((j for j in range(end - 2, max(lo, end - 6) - 1, -1) if doc[j].text == "("), None)
        if opening is not None and opening > lo:
            end = opening
    k = end
    while k > lo and (doc[k - 1].text[:1].isupper() or doc[k - 1].text in ("&", "of", ".") or
                      re.match(r"^[a-z]+[A-Z.]", doc[k - 1].text) or doc[k - 1].like_num):
        k -= 1
    while k < end and doc[k].text in ("of", "&", "."):
        k += 1
    if k < end and doc[k].lower_ == "the":
        k += 1
    if k >= end:
        return None
    return doc[k:end].text.strip()


def _title_org_left(doc: Doc, start: int, lo: int, v) -> tuple[str | None, str | None]:
    """"Street One Financial Vice President [Paul Weisbruch]", "Morningstar analyst [X]",
    "Interactive Brokers’ [X]"."""
    k = start
    if k > lo and doc[k - 1].lower_ in ("'s", "’s", "’", "'"):
        return None, _org_run_left(doc, k - 1, lo, v)
    if k - 1 > lo and doc[k - 1].text == "," and doc[k - 2].text in v["title_head"]:
        k -= 1  # "Bellhaven Capital's chief investment officer, Fenwick Osei, said"
        start = k
    while k > lo and (doc[k - 1].text in v["title_head"] or doc[k - 1].text in v["title_word"]) \
            and doc[k - 1].lower_ not in ("of", "and", "&", "the", "for", "on"):
        k -= 1
    # Capitalised org words swallowed by the title ("... One Financial Vice President").
    while k < start and doc[k].text in v["org_suffix"] and k > lo and doc[k - 1].text[:1].isupper():
        k += 1
    title = doc[k:start].text if k < start and any(t.text in v["title_head"] for t in doc[k:start]) else None
    if title is None:
        k = start
    org = None
    if k > lo:
        if doc[k - 1].lower_ in ("'s", "’s", "’", "'"):
            org = _org_run_left(doc, k - 1, lo, v)
        elif doc[k - 1].text[:1].isupper() and doc[k - 1].lower_ not in v["speech_verb"]:
            org = _org_run_left(doc, k, lo, v)
        elif title and _DOMAIN.fullmatch(doc[k - 1].text):
            org = doc[k - 1].text  # "etf.com analyst Sumit Roy"
    if org and " " not in org and org.lower() in _NOT_ORG_WORDS:
        org = None  # "Even Binky Chadha at Deutsche Bank": a sentence's first word
    return title, org


_NOT_ORG_WORDS = frozenset({"even", "but", "and", "also", "still", "meanwhile", "however", "now", "yet", "so", "then",
                            "last", "this", "that", "the", "while", "when", "as", "if", "says", "said", "according"})


_DOMAIN = re.compile(r"[a-z][\w-]*\.(?:com|net|org|io|co)")


def _clean_org(org: str | None, keep_s: bool = False) -> str | None:
    """``keep_s``: a final "'s" is the name's own ("Barron's"), not a possessive."""
    if not org:
        return None
    org = re.sub(r"^[\d.,%$]+\s+", "", org)  # "17 Citi": a number run into the name
    org = re.split(r"\s+(?:in|who|which|and|based in)\s+", org)[0].strip(" ,;:")
    if org.endswith(".") and not re.search(r"\b(?:Co|Corp|Inc|Ltd|Plc|Cos|Bros|Jr|L\.P|S\.A|N\.V)\.$", org):
        org = org.rstrip(".")
    words = org.split()
    # "San Francisco-based research firm ETF.com", "data provider VettaFi": last capitalised run
    lower_idx = [i for i, w in enumerate(words) if w[:1].islower() and w not in ("of", "&", "de")
                 and not _DOMAIN.fullmatch(w)]  # "etf.com" is a name
    if lower_idx:
        words = words[lower_idx[-1] + 1:]
    org = " ".join(words).strip(" ,")
    if (org.endswith("’s") or org.endswith("'s")) and not keep_s:
        org = org[:-2]
    return org or None


def _title_org_right(doc: Doc, end: int, hi: int, v) -> tuple[str | None, str | None]:
    """", the senior market analyst at IG Markets,", ", S&P Global portfolio manager,",
    " of Goldman Sachs Group Inc.", " at JPMorgan Chase & Co."."""
    if end >= hi:
        return None, None
    tok = doc[end]
    if tok.lower_ in ("of", "at", "for", "from", "with"):
        org = _org_run_right(doc, end + 1, hi)
        return None, _clean_org(org, keep_s=True)
    if tok.text != ",":
        return None, None
    k = end + 1
    while k < hi and doc[k].text not in (",", ";", "“", "”", '"', ")") and k - end < 25:
        k += 1
    appos = doc[end + 1:k]
    m = re.match(r"who\s(?:helps\s)?(?:manages?|oversees?|runs?|invests?)\b.*?\b(?:at|for)\s+(?:the\s)?([A-Z].+)$",
                 appos.text) if len(appos) else None
    if m and not any(t.text in v["title_head"] for t in appos):
        return None, _clean_org(m.group(1))  # "who manages more than $15 billion at Permanent Portfolio ..."
    if not len(appos) or not any(t.text in v["title_head"] for t in appos):
        return None, None
    text = appos.text
    text = re.sub(r"^(?:the|a|an)\s+", "", text)
    m = re.search(r"\s(?:at|with|for)\s+(.+)$", text) or re.search(r"\sof\s+((?:the\s+)?[A-Z].+)$", text)
    if m and m.group(0).lstrip().startswith("of") and re.search(r"\s[a-z][\w-]*$", " " + m.group(1)) and \
            not re.search(r"\b(?:firm|company|bank|in|based)\b", m.group(1)):
        m = None  # "head of U.S. fixed-income asset allocation": a department, part of the title
    if m:
        title = text[:m.start()].strip()
        org = m.group(1)
        return title or None, _clean_org(re.sub(r"^the\s+", "", org))
    m = re.match(r"^(.*?)(['’]s\s+)(.+)$", text)  # "Merrill's chief quantitative strategist"
    if m and m.group(1)[:1].isupper():
        return m.group(3).strip(), _clean_org(m.group(1))
    words = text.split()
    caps = 0
    while caps < len(words) and (words[caps][:1].isupper() or words[caps] in ("&",)) and \
            words[caps] not in v["title_head"] and (words[caps] not in v["title_word"] or words[caps] in _ORG_LIKE):
        caps += 1
    if caps and caps < len(words):  # "S&P Global portfolio manager", "iiTrader senior market strategist"
        return " ".join(words[caps:]), " ".join(words[:caps])
    if re.match(r"^[a-z]+[A-Z]", words[0]) and len(words) > 1:
        return " ".join(words[1:]), words[0]
    return text, None


# capitalised words that end a firm's name more often than they start a title:
# "S&P Global portfolio manager"
_ORG_LIKE = frozenset({"Global", "International", "Capital", "Securities", "Research", "Wealth", "Asset"})


def _org_run_right(doc: Doc, start: int, hi: int) -> str | None:
    k = start
    if k < hi and doc[k].lower_ == "the":
        k += 1
    j = k
    while j < hi and (doc[j].text[:1].isupper() or doc[j].text in ("&", "of", ".", "’s", "'s") or
                      re.match(r"^[a-z]+[A-Z.]", doc[j].text)):
        if doc[j].text in ("’s", "'s"):
            if j + 1 >= hi or doc[j + 1].is_punct and doc[j + 1].text not in ("-", "&"):
                j += 1  # "reports Michael Aneiro for Barron's.": nothing owned, the name's own
            break
        j += 1
    return doc[k:j].text if j > k else None


def _quoted_text(doc: Doc, sent: Span) -> str | None:
    """The quotation nearest the attribution, within its paragraph and 3,000 characters
    either side (a quotation is never longer; scanning the whole paragraph once per
    attribution made a paragraph of "said" after "said" quadratic)."""
    text = ext.text_of(doc)
    lo, hi = max(0, sent.start_char - 3000), min(len(text), sent.end_char + 3000)
    para_start = max(text.rfind("\n", lo, sent.start_char) + 1, lo)
    para_end = text.find("\n", sent.end_char, hi)
    para_end = hi if para_end < 0 else para_end
    best, best_d = None, 10**9
    for m in _QUOTE_RE.finditer(text, para_start, para_end):
        d = 0 if m.start() <= sent.end_char and m.end() >= sent.start_char else min(
            abs(m.end() - sent.start_char), abs(m.start() - sent.end_char))
        if d < best_d and d <= 200:
            best, best_d = m.group(1).strip(), d
    return best


def _clean_title(title: str | None) -> str | None:
    """"Cincinnati-based chief investment officer" -> "chief investment officer"; "the
    firm's head of U.S. fixed-income" -> "head of U.S. fixed-income"; "who helps manage
    $430 million as president" -> "president"; "credit strategists" (said of two
    people) -> "credit strategist"."""
    if not title:
        return None
    t = " ".join(title.split())
    m = re.search(r"\bas\s+(?:its\s+|the\s+|a\s+)?([a-z][\w .&-]*)$", t)
    if m and re.match(r"who\b", t):
        t = m.group(1)
    t = re.sub(r"^(?:the|a|an)\s+", "", t)
    t = re.sub(r"^(?:[\w.]+-based|longtime|veteran|former|noted|well-known)\s+", "", t)
    t = re.sub(r"^(?:the\s+)?(?:firm|company|bank|fund|group)['’]s\s+", "", t)
    t = re.sub(r"\b(strategist|analyst|economist|manager|officer|director|trader)s$", r"\1", t)
    return t.strip(" ,") or None


def _described_elsewhere(doc: Doc, name: str, persons: list[Span], v) -> tuple[str | None, str | None]:
    """The title and firm an article gives a speaker where it introduces them, which
    is often not the sentence with the quote ("Deutsche Bank AG's Binky Chadha, once
    one of the biggest bulls, ..." then "Chadha said")."""
    tried = 0
    for p in persons:
        if tried >= 3:
            break  # an article introduces a speaker in one of the first mentions
        if p.text != name:
            continue
        tried += 1
        sent = p.sent
        title, org = _title_org_left(doc, p.start, sent.start, v)
        rt, ro = _title_org_right(doc, p.end, sent.end, v)
        title, org = _clean_title(title or rt), _clean_org(org) or ro
        if title or org:
            return title, org
    return None, None


_IS_TITLE_AT = re.compile(r"\s+(?:the\s+|a\s+|an\s+)?(?P<title>[\w -]{3,60}?)\s+(?:at|of|with)\s+(?:the\s+)?"
                          r"(?P<org>[A-Z][\w&.' -]{1,60}?)(?=[,.;]|\s(?:which|who|where|in)\b)")
_QUESTION = re.compile(r"^[ \t]*Q[:.][ \t]+", re.MULTILINE)


def _pronoun_speaker(doc: Doc, cs: int, ce: int, sent: Span, persons: list[Span]) -> list:
    """'"... priced in," he said': a pronoun beside the cue is the person named last before
    the sentence, in its paragraph (no other person between)."""
    near = {doc[k].lower_ for k in (cs - 1, ce) if 0 <= k < len(doc)}
    if not near & {"he", "she"}:
        return []
    text = ext.text_of(doc)
    para = max(text.rfind("\n\n", 0, sent.start_char), sent.start_char - 600)
    before = [p for p in persons if para <= p.start_char and p.end <= sent.start]
    if not before:
        return []
    p = before[-1]
    return [_Speaker(p.text, p.start, p.end)]


def _interviewee(doc: Doc, persons: list[Span], body_start: int, v) -> tuple | None:
    """A question-and-answer interview quotes the person it introduces before the
    exchange ("Anjali Roe is co-chief investment officer at Example Partners", then "Q:
    ..." and "A: ..." lines, or answers under her last name: "Roe: We cut our target"):
    (name, start, end, title, organization, first answer)."""
    text = ext.text_of(doc)
    first_q = _QUESTION.search(text, body_start)
    for p in persons[:5]:
        last = p.text.split()[-1]
        answers = list(re.finditer(r"^[ \t]*(?:A|" + re.escape(last) + r")[:.][ \t]+(?P<words>[^\n]+)", text[p.end_char:],
                                   re.MULTILINE))
        by_name = [a for a in answers if not a.group(0).lstrip().startswith(("A:", "A."))]
        if len(answers) < 2 or (first_q is None and len(by_name) < 2):
            continue
        if first_q is not None and p.start_char >= first_q.start():
            break
        if p.end < len(doc) and doc[p.end].lower_ in ("is", ",", "was"):
            if doc[p.end].text == ",":
                title, org = _title_org_right(doc, p.end, p.sent.end, v)
            else:  # "... is co-chief investment officer at Tollgate Partners, which runs ..."
                m = _IS_TITLE_AT.match(text, doc[p.end].idx + len(doc[p.end].text), p.sent.end_char)
                ok = m is not None and any(w in v["title_head"] for w in m.group("title").split())
                title, org = (m.group("title"), m.group("org").strip()) if ok else (None, None)
            if title or org:
                return (p.text, p.start_char, p.end_char, _clean_title(title), _clean_org(org) or org,
                        answers[0].group("words").strip())
    return None


# "1. Halvorsen & Rudd: 3,400" over "Mei-Lin Sato, the firm's chief strategist, ...": a
# numbered list of firms, each item's paragraph quoting someone at it
_FIRM_ITEM = re.compile(r"^[ \t]*\d{1,2}[.)][ \t]+(?P<org>[A-Z][\w&.'’ -]{1,50}?)[ \t]*(?::|[-–—][ \t])[^\n]{0,40}$")


def _firm_heading_above(text: str, pos: int) -> str | None:
    """The firm of a numbered heading right above the paragraph at ``pos`` (only blank
    lines between), when the paragraph names no firm of its own."""
    para = text.rfind("\n", 0, pos)
    k = para
    while k > 0 and text[text.rfind("\n", 0, k) + 1:k].strip() == "":
        k = text.rfind("\n", 0, k)
    line = text[text.rfind("\n", 0, k) + 1:k] if k > 0 else ""
    m = _FIRM_ITEM.match(line)
    return m.group("org").strip() if m and len(m.group("org").split()) <= 6 else None


def iter_quotes(doc: Doc) -> Iterator[Quote]:
    """One Quote per person the article attributes words or a view to; repeated
    attributions of the same person are merged (first evidence span, filled fields)."""
    v = vocab()
    body_start = doc._.x_body_start or 0
    persons = [p for p in doc.spans.get(ext.PERSONS, []) if p.start_char >= body_start]
    registry = _last_name_index(doc, persons)
    by_start = {p.start: p for p in persons}
    found: dict[str, dict] = {}
    order: list[str] = []
    for sent in doc.sents:
        if sent.end_char <= body_start:
            continue
        for cs, ce in _cues(sent, v):
            speakers = _speakers_after(doc, ce, sent.end, by_start, registry, v)
            if not speakers and doc[cs].lower_ != "according":
                speakers = _speakers_before(doc, cs, sent.start, persons, registry, v)
            if not speakers:
                speakers = _pronoun_speaker(doc, cs, ce, sent, persons)
            described, own_between = [], []
            first = min((sp.start for sp in speakers), default=0)
            for sp in speakers:
                title, org = _title_org_left(doc, sp.start, max(sent.start, ce if ce <= sp.start else sent.start), v)
                rt, ro = _title_org_right(doc, sp.end, sent.end, v)
                described.append((_clean_title(title or rt), _clean_org(org) or ro))
                own_between.append(sp.start > first and bool(title or org))
            if len(speakers) > 1:
                # "Barclays credit strategists Jeffrey Meli and Bradley Rogoff", "report Megan
                # Durisin and Lydia Mulvany for Bloomberg": a pair shares its title and firm,
                # unless the second is described on its own between them ("Pimco's Mohamed
                # El-Erian and economist Nouriel Roubini")
                shared = [d for d, own in zip(described, own_between) if not own]
                shared_title = next((t for t, _ in shared if t), None)
                shared_org = next((o for _, o in shared if o), None)
                described = [d if own else (d[0] or shared_title, d[1] or shared_org)
                             for d, own in zip(described, own_between)]
            for sp, (title, org) in zip(speakers, described):
                if title and title.lower() in ("the firm", "firm"):
                    title = None
                lo = min(sp.start, cs)
                hi = max(sp.end, ce)
                rec = found.get(sp.name)
                if rec is None:
                    found[sp.name] = rec = {"speaker": sp.name, "start": doc[lo].idx,
                                            "end": doc[hi - 1].idx + len(doc[hi - 1].text),
                                            "title": None, "organization": None,
                                            "text": _quoted_text(doc, sent), "looked": 1}
                    order.append(sp.name)
                rec["title"] = rec["title"] or title
                rec["organization"] = rec["organization"] or org
                if rec["text"] is None and rec["looked"] < 3:  # the words are near its first attributions
                    rec["looked"] += 1
                    rec["text"] = _quoted_text(doc, sent)
    interviewee = _interviewee(doc, persons, body_start, v)
    if interviewee is not None and interviewee[0] not in found:
        name, lo, hi, title, org, words = interviewee
        found[name] = {"speaker": name, "start": lo, "end": hi, "title": title, "organization": org, "text": words}
        order.append(name)
    for name in order:
        r = found[name]
        if r["title"] is None or r["organization"] is None:
            title, org = _described_elsewhere(doc, name, persons, v)
            r["title"] = r["title"] or title
            r["organization"] = r["organization"] or org
        if r["organization"] is None:
            r["organization"] = _firm_heading_above(ext.text_of(doc), r["start"])
        yield Quote(speaker=r["speaker"], start=r["start"], end=r["end"], title=r["title"],
                    organization=r["organization"], text=r["text"])
