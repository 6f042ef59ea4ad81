"""智能导办: find service items by 汉字, full pinyin or initials, through names, aliases and keywords.
Pure Python, no Qt.

Every searchable text of an item is a *field* of one *rank*: its name (0), an alias (1), or a keyword,
department or category (2). Each field is kept in three *forms*: the 汉字 text itself, its full pinyin
(养老认证 → yanglaorenzheng) and its initials (ylrz). A query token matches a field when it is
  - exactly one of its forms (养老认证, ylrz, yanglaorenzheng),
  - the start of a form (养老, ylr, yangl), or
  - inside a form, from a syllable's start (认证, rz, renzheng; never "aor").
Full pinyin may stop inside its last syllable (yanglaor). Results are ranked: every exact match
first (name, then alias, then keyword), then the starts, then the insides; within one of those nine
classes by the matched text in catalogue order (home_rank), then item. A query of several tokens
(养老 认证) needs every token to match; a long 汉字 query that matches nothing as a whole is tried
as the longest pieces some text contains (养老金 资格认证).

Pinyin comes from pypinyin's tables (its per-character readings and its phrase dictionary), applied
with `str.translate`: each character gets its most common reading, and a character with several
readings (重, 行, 长, 还…) takes the reading of the dictionary phrase around it (重庆 chongqing,
银行 yinhang, 长者 zhangzhe). PHRASE_FIXES corrects a few phrases pypinyin reads wrongly. Latin letters
and digits in a text (IC卡, 65岁) are syllables of their own.

Speed (bench/bench_search.py, 10,000 items): the index keeps, per rank and distinct text, a few
dictionary entries (whole forms, the first letters of the forms, and one entry per later syllable),
so a keystroke looks up candidates and checks only those, in catalogue order, and stops as soon as
`limit` results are certain.
"""

from __future__ import annotations

import gc
import heapq
import re
import unicodedata
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from pypinyin.constants import PHRASES_DICT, PINYIN_DICT

RANKS = ("name", "alias", "keyword")
HOWS = ("exact", "prefix", "contains")
EXACT, PREFIX, CONTAINS = 0, 1, 2
DEFAULT_LIMIT = 40
HEAD = 3  # the first letters of each latin form kept as keys (longer prefixes are checked)

# Phrases whose reading pypinyin's dictionary gets wrong for government texts.
PHRASE_FIXES = {"还款": ("huan", "kuan"), "还贷": ("huan", "dai"), "还本": ("huan", "ben")}
_PHRASE_MAX = 4

_TONES = str.maketrans({**dict.fromkeys("āáǎà", "a"), **dict.fromkeys("ēéěèêếề", "e"),
                        **dict.fromkeys("īíǐì", "i"), **dict.fromkeys("ōóǒò", "o"),
                        **dict.fromkeys("ūúǔù", "u"), **dict.fromkeys("üǖǘǚǜ", "v"),
                        **dict.fromkeys("ńňǹ", "n"), "ḿ": "m", "\u0300": None, "\u0304": None,
                        "\u030c": None, "\u0301": None})
_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # raw: the pattern, not the characters
_KEEP = re.compile(f"[^0-9a-z{_CJK}]+")  # what a form keeps
_SPLIT = re.compile(r"[\s,，、;；/／|·・]+")
_HANZI = re.compile(f"^[{_CJK}]+$")


def _strip_tones(reading: str) -> str:
    return reading.translate(_TONES)


class _Table(dict):
    """A str.translate table filled from pypinyin's per-character readings as characters appear:
    codepoint → "yang " (the most common reading, then a space), or → "y" for the initials table.
    Latin letters and digits are one syllable each."""

    tricky: set[str] = set()  # characters some dictionary phrase reads otherwise (行 in 银行), shared

    def __init__(self, initial: bool) -> None:
        super().__init__()
        self.initial = initial

    def __missing__(self, cp: int) -> str:
        ch = chr(cp)
        if ch.isascii():
            reading = ch
        else:
            readings = [_strip_tones(r) for r in PINYIN_DICT.get(cp, "").split(",") if r]
            reading = readings[0] if readings else ""
            if len(set(readings)) > 1 and _exceptions(ch, reading):
                self.tricky.add(ch)
        value = reading[:1] if self.initial else (reading + " " if reading else "")
        self[cp] = value
        return value


_SYLLABLES = _Table(initial=False)
_INITIALS = _Table(initial=True)
_BY_CHAR: dict[str, list[str]] = {}  # 汉字 → the dictionary phrases (2-4 characters) holding it
_EXCEPTIONS: dict[str, dict[str, tuple[str, ...]]] = {}  # heteronym → phrases reading it otherwise


def _exceptions(ch: str, usual: str) -> dict[str, tuple[str, ...]]:
    """The dictionary phrases in which `ch` is not read the usual way (银行 for 行), with their
    readings. Built per character on first need; the phrase index once per process."""
    found = _EXCEPTIONS.get(ch)
    if found is None:
        if not _BY_CHAR:
            for phrase in PHRASES_DICT:
                if 1 < len(phrase) <= _PHRASE_MAX:
                    for c in set(phrase):
                        _BY_CHAR.setdefault(c, []).append(phrase)
        found = {}
        for phrase in _BY_CHAR.get(ch, ()):
            readings = PHRASE_FIXES.get(phrase) or tuple(_strip_tones(r[0]) for r in PHRASES_DICT[phrase])
            if len(readings) == len(phrase) and any(c == ch and r != usual for c, r in zip(phrase, readings, strict=True)):
                found[phrase] = readings
        for phrase, readings in PHRASE_FIXES.items():
            if ch in phrase:
                found[phrase] = readings
        _EXCEPTIONS[ch] = found
    return found


def normalise(text: str) -> str:
    """What a form is made of: NFKC (full-width letters and digits), lower case, and only 汉字,
    latin letters and digits (punctuation and spaces go)."""
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return _KEEP.sub("", text.lower())


@dataclass(frozen=True)
class Forms:
    hanzi: str
    syllables: tuple[str, ...]  # 养老认证 → ("yang", "lao", "ren", "zheng")
    initials: str  # ylrz

    @property
    def full(self) -> str:
        return "".join(self.syllables)


def forms(text: str) -> Forms:
    """The three forms of a text; a heteronym inside a dictionary phrase that reads it another way
    (the longest such phrase) takes that phrase's reading."""
    norm = normalise(text)
    syllables = norm.translate(_SYLLABLES).split()
    if _Table.tricky.isdisjoint(norm) or len(syllables) != len(norm):
        return Forms(norm, tuple(syllables), norm.translate(_INITIALS))
    n, changed, settled = len(norm), False, -1  # positions up to `settled` took a phrase's reading
    for i, ch in enumerate(norm):
        if i <= settled or ch not in _Table.tricky:
            continue
        exceptions = _EXCEPTIONS[ch]
        for size in range(min(_PHRASE_MAX, n), 1, -1):
            for start in range(max(0, i - size + 1), min(i, n - size) + 1):
                found = exceptions.get(norm[start:start + size])
                if found:
                    syllables[start:start + size] = found
                    settled, changed = start + size - 1, True
                    break
            if settled >= i:
                break
    initials = "".join(s[0] for s in syllables) if changed else norm.translate(_INITIALS)
    return Forms(norm, tuple(syllables), initials)


def pinyin_of(text: str) -> str:
    """Full pinyin, syllables separated by spaces (养老认证 → "yang lao ren zheng")."""
    return " ".join(forms(text).syllables)


@dataclass(frozen=True)
class Hit:
    item: Mapping[str, Any]
    field: str  # the text that matched: the name, or the alias / keyword
    rank: str  # name | alias | keyword
    how: str  # exact | prefix | contains

    @property
    def by_name(self) -> bool:
        return self.rank == "name"


@dataclass(frozen=True)
class Results:
    query: str
    hits: tuple[Hit, ...]
    more: bool  # the limit cut the list: more items match (the resident can type on)

    def __len__(self) -> int:
        return len(self.hits)

    @property
    def items(self) -> list[Mapping[str, Any]]:
        return [h.item for h in self.hits]


class _Rank:
    """The distinct texts of one rank (names, aliases or keywords) and the items carrying each.

    Keys, each → the rank's text ids (rtid) in catalogue order:
      exact   every whole form (汉字, initials, full pinyin)
      heads   the first 1..HEAD letters of the initials and of the full pinyin
      later   each syllable after the first, with the initials of the next two ("lao\trz" in
              yang·lao·ren·zheng) → rtid * 64 + its position: finds full pinyin (laoren) and
              initials (lrz) from inside a text
    """

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.forms: list[Forms] = []
        self.full: list[str] = []
        self.items_of: list[list[int]] = []
        self.exact: defaultdict[str, list[int]] = defaultdict(list)
        self.heads: defaultdict[str, list[int]] = defaultdict(list)
        self.later: defaultdict[str, list[int]] = defaultdict(list)
        self.syllables: set[str] = set()
        self.hay = ""  # "\n" + 汉字 form per text, for 汉字 queries
        self._hanzi: list[str] = []
        self._starts: list[int] = []
        self._by_syllable: dict[str, list[str]] = {}  # syllable → its `later` keys
        self._by_initials: dict[str, list[str]] = {}  # its initial + the next ones ("lrz") → keys

    def add(self, text: str, f: Forms, item: int) -> int:
        rtid = len(self.texts)
        self.texts.append(text)
        self.forms.append(f)
        full, ini, hanzi = f.full, f.initials, f.hanzi
        self.full.append(full)
        self.items_of.append([item])
        self._hanzi.append(hanzi)
        exact, heads = self.exact, self.heads
        exact[hanzi].append(rtid)
        exact[ini].append(rtid)
        if full != ini:
            exact[full].append(rtid)
        for key in {ini[:1], ini[:2], ini[:3], full[:2], full[:3]}:
            heads[key].append(rtid)
        syllables = f.syllables
        packed, later, n = rtid * 64, self.later, min(len(syllables), 64)
        for j in range(1, n):
            later[syllables[j] + "\t" + ini[j + 1:j + 3]].append(packed + j)
        self.syllables.update(syllables)
        return rtid

    def seal(self) -> None:
        self.hay = "".join("\n" + h for h in self._hanzi) + "\n"
        self._starts = [0, *accumulate(len(h) + 1 for h in self._hanzi[:-1])]
        self._hanzi = []
        for key in self.later:
            syllable, _, following = key.partition("\t")
            self._by_syllable.setdefault(syllable, []).append(key)
            head = syllable[0] + following
            for k in range(1, len(head) + 1):  # by one, two and three initials
                self._by_initials.setdefault(head[:k], []).append(key)

    # ---- matching: text ids in catalogue order, each once -------------------------------------
    def exact_matches(self, q: str) -> Iterable[int]:
        return self.exact.get(q, ())

    def prefix_matches(self, q: str) -> Iterator[int]:
        if not q.isascii():
            return (self._owner(p) for p in _find_all(self.hay, "\n" + q))
        heads = self.heads.get(q[:HEAD], [])
        if len(q) <= HEAD:
            return iter(heads)
        forms, full = self.forms, self.full
        return (t for t in heads if forms[t].initials.startswith(q) or full[t].startswith(q))

    def contains_matches(self, q: str, segmentations: Sequence[tuple[str, ...]]) -> Iterator[int]:
        if not q.isascii():
            hay = self.hay
            return _unique(self._owner(p) for p in _find_all(hay, q) if hay[p - 1] != "\n")
        streams: list[Iterable[int]] = [self._later_initials(q)]
        for chunks in segmentations:
            streams.append(self._later_syllables(q, chunks))
        return _unique(heapq.merge(*streams))

    def _merged(self, keys: Iterable[str]) -> Iterator[int]:
        lists = [self.later[k] for k in keys]
        return heapq.merge(*lists) if len(lists) != 1 else iter(lists[0])

    def _later_initials(self, q: str) -> Iterator[int]:
        """lrz in ylrz: the initials from a later syllable start with q."""
        packed = self._merged(self._by_initials.get(q[:3], []))
        if len(q) <= 3:
            return (p >> 6 for p in packed)
        forms = self.forms
        return (p >> 6 for p in packed if forms[p >> 6].initials.startswith(q, p & 63))

    def _later_syllables(self, q: str, chunks: tuple[str, ...]) -> Iterator[int]:
        """renzheng in yang·lao·ren·zheng: the full pinyin from a later syllable starts with q."""
        if len(chunks) == 1:  # one syllable, or the start of one: every syllable it begins
            keys = [k for s, ks in self._by_syllable.items() if s.startswith(q) for k in ks]
            return (p >> 6 for p in self._merged(keys))
        following = "\t" + "".join(c[0] for c in chunks[1:3])
        keys = [k for k in self._by_syllable.get(chunks[0], ()) if k.startswith(following, len(chunks[0]))]
        forms, size = self.forms, len(chunks)
        return (p >> 6 for p in self._merged(keys)
                if "".join(forms[p >> 6].syllables[(p & 63):(p & 63) + size]).startswith(q))

    def _owner(self, pos: int) -> int:
        return bisect_right(self._starts, pos) - 1


def _find_all(hay: str, needle: str) -> Iterator[int]:
    pos = hay.find(needle)
    while pos >= 0:
        yield pos
        pos = hay.find(needle, pos + 1)


def _unique(ids: Iterable[int]) -> Iterator[int]:
    last = -1
    for i in ids:
        if i != last:
            yield i
            last = i


class SearchIndex:
    """Built once per catalogue (items in home order); `search()` per keystroke."""

    def __init__(self, items: Iterable[Mapping[str, Any]]) -> None:
        paused = gc.isenabled()
        gc.disable()  # many small lists and no cycles: a collection run would only walk them again
        try:
            self._build(list(items))
        finally:
            if paused:
                gc.enable()

    def _build(self, items: list[Mapping[str, Any]]) -> None:
        self.items: list[Mapping[str, Any]] = items
        self._ranks = [_Rank() for _ in RANKS]
        known: dict[str, Forms | None] = {}
        seen: list[dict[str, int]] = [{} for _ in RANKS]  # text → rtid, per rank
        self._texts_of: list[list[tuple[int, int]]] = []  # item → its (rank, rtid), for several tokens
        self._blobs: dict[int, str] = {}
        texts_of = self._texts_of
        for index, item in enumerate(self.items):
            texts_of.append([])
            for rank, texts in enumerate(_fields(item)):
                r, mine = self._ranks[rank], seen[rank]
                for text in texts:
                    rtid = mine.get(text)
                    if rtid is not None:
                        owners = r.items_of[rtid]
                        if owners[-1] != index:
                            owners.append(index)
                        texts_of[-1].append((rank, rtid))
                        continue
                    if text not in known:
                        f = forms(text)
                        known[text] = f if f.hanzi else None
                    f = known[text]
                    if f is not None:
                        rtid = mine[text] = r.add(text, f, index)
                    else:
                        continue
                    texts_of[-1].append((rank, rtid))
        syllables: set[str] = set()
        for r in self._ranks:
            r.seal()
            syllables |= r.syllables
        self._syllables = syllables
        self._starts = {s[:k] for s in syllables for k in range(1, len(s) + 1)}

    def __len__(self) -> int:
        return len(self.items)

    def search(self, query: str, limit: int = DEFAULT_LIMIT) -> Results:
        tokens = [t for t in (normalise(p) for p in _SPLIT.split(query)) if t]
        if not tokens:
            return Results(query, (), False)
        if len(tokens) == 1:
            hits, more = self._one(tokens[0], limit)
            if hits or not _HANZI.match(tokens[0]) or len(tokens[0]) < 4:
                return Results(query, tuple(hits), more)
            tokens = self._words(tokens[0])  # 养老金资格认证 → 养老金 资格认证
        hits, more = self._all(tokens, limit)
        return Results(query, tuple(hits), more)

    def _words(self, token: str) -> list[str]:
        """A long 汉字 query that matches nothing whole, as the longest pieces that some text of the
        catalogue contains (养老金资格认证 → 养老金 资格认证); a piece no text has stays one character."""
        hays = [r.hay for r in self._ranks]
        words, rest = [], token
        while rest:
            size = next((k for k in range(min(len(rest), 8), 1, -1) if any(rest[:k] in h for h in hays)), 1)
            words.append(rest[:size])
            rest = rest[size:]
        return words

    def segmentations(self, q: str) -> list[tuple[str, ...]]:
        """q as known syllables, the last of which may be cut short (xian → xian, xi·an)."""
        out: list[tuple[str, ...]] = []

        def walk(rest: str, chunks: tuple[str, ...]) -> None:
            if rest in self._starts:
                out.append((*chunks, rest))
            for k in range(1, min(len(rest), 6) + 1):
                head = rest[:k]
                if k < len(rest) and head in self._syllables:
                    walk(rest[k:], (*chunks, head))

        if q.isascii():
            walk(q, ())
        return out[:8]

    def _text_classes(self, q: str) -> Iterator[tuple[int, _Rank, Iterable[int]]]:
        """(class, rank, text ids) for q, class by class: exact name, exact alias, exact keyword,
        prefix name … contains keyword (lazy: a class is looked at only when asked for)."""
        ranks = self._ranks
        for rank, r in enumerate(ranks):
            yield rank, r, r.exact_matches(q)
        for rank, r in enumerate(ranks):
            yield 3 + rank, r, r.prefix_matches(q)
        segs = self.segmentations(q)
        for rank, r in enumerate(ranks):
            yield 6 + rank, r, r.contains_matches(q, segs)

    def _classes(self, q: str) -> Iterator[tuple[int, int, int]]:
        """(class, item index, text id), in class order."""
        for order, r, rtids in self._text_classes(q):
            items_of = r.items_of
            for rtid in rtids:
                for index in items_of[rtid]:
                    yield order, index, rtid

    def _hit(self, order: int, index: int, rtid: int) -> Hit:
        rank = order % 3
        return Hit(self.items[index], self._ranks[rank].texts[rtid], RANKS[rank], HOWS[order // 3])

    def _one(self, q: str, limit: int) -> tuple[list[Hit], bool]:
        seen: set[int] = set()
        hits: list[Hit] = []
        for order, index, rtid in self._classes(q):
            if index in seen:
                continue
            if len(hits) >= limit:
                return hits, True
            seen.add(index)
            hits.append(self._hit(order, index, rtid))
        return hits, False

    def _all(self, tokens: Sequence[str], limit: int) -> tuple[list[Hit], bool]:
        """Several tokens: every one must match, ranked by the weakest token's class. The longest
        token (the likeliest to be rare) is walked in class order; each candidate is checked
        against the other tokens on its own texts, and the walk stops once no later class can
        change the first `limit` results (a common word like 社保 is never expanded in full)."""
        lead = max(range(len(tokens)), key=lambda n: len(tokens[n]))
        others = [q for n, q in enumerate(tokens) if n != lead]
        results: list[tuple[int, int, Hit]] = []  # (weakest class, item index, hit)
        seen: set[int] = set()
        current = -1
        for order, index, rtid in self._classes(tokens[lead]):
            if order != current:
                if sum(1 for weakest, _, _ in results if weakest <= current) > limit:
                    break
                current = order
            if index in seen:
                continue
            seen.add(index)
            weakest = order
            for q in others:
                other = self._item_class(index, q)
                if other is None:
                    break
                weakest = max(weakest, other)
            else:
                results.append((weakest, index, self._hit(order, index, rtid)))
        results.sort(key=lambda r: (r[0], r[1]))
        return [hit for _, _, hit in results[:limit]], len(results) > limit

    def _item_class(self, index: int, q: str) -> int | None:
        """The best class in which q matches one of this item's texts (None: it does not)."""
        blob = self._blobs.get(index)
        if blob is None:  # every form of the item's texts, made when first needed
            blob = self._blobs[index] = "\n".join(
                form for rank, rtid in self._texts_of[index]
                for f in (self._ranks[rank].forms[rtid],) for form in (f.hanzi, f.initials, f.full))
        if q not in blob:
            return None
        best = None
        for rank, rtid in self._texts_of[index]:
            how = _how(self._ranks[rank].forms[rtid], q)
            if how is not None and (best is None or how * 3 + rank < best):
                best = how * 3 + rank
        return best


def _how(f: Forms, q: str) -> int | None:
    """How q matches one text: EXACT, PREFIX, CONTAINS or None (the same rules as the postings)."""
    if not q.isascii():
        if q == f.hanzi:
            return EXACT
        return PREFIX if f.hanzi.startswith(q) else (CONTAINS if q in f.hanzi else None)
    full = f.full
    if q in (f.initials, full):
        return EXACT
    if f.initials.startswith(q) or full.startswith(q):
        return PREFIX
    if f.initials.find(q, 1) > 0:
        return CONTAINS
    offset = 0
    for syllable in f.syllables[:-1]:
        offset += len(syllable)
        if full.startswith(q, offset):
            return CONTAINS
    return None


def _fields(item: Mapping[str, Any]) -> tuple[list[str], list[str], list[str]]:
    keywords = [*(item.get("keywords") or ()), item.get("department") or "", item.get("category") or ""]
    return [item.get("name") or ""], list(item.get("aliases") or ()), [k for k in keywords if k]
